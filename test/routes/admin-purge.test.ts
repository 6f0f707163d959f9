/**
 * spec §15: `DELETE /api/v1/admin/applications/{client_id}?purge=true` deletes the application
 * and everything it owns in one D1 batch, its cached views and KV entries included, and tells
 * the users nothing. Proved by scanning every column of every table of the schema afterwards.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import * as lifecycle from '../helpers/admin-applications';
import { Browser } from '../helpers/browser';
import { changesOf } from '../helpers/changes';
import { sampleActivity } from '../helpers/entities';
import { appToken, createApp, personalKey } from '../helpers/factories';
import { authorizeUrl, obtainCallback } from '../helpers/oauth-flow';
import { registerEndpoint } from '../helpers/webhooks';
import { apiError, call } from '../helpers/worker';

const purge = (clientId: string, query = '?purge=true') =>
  lifecycle.adminCall(`${lifecycle.applicationPath(clientId)}${query}`, { method: 'DELETE' });

/** Where an application's client id may legitimately remain: the users' own entities. */
const KEPT_COLUMNS = new Set(['activities.created_by', 'traces.created_by', 'tests.created_by']);

/** The tables that name the application (webhook_deliveries names its endpoints). */
const OWNING_TABLES = [
  'applications',
  'authorizations',
  'refresh_tokens',
  'authorization_codes',
  'authorization_requests',
  'app_metadata',
  'app_metadata_members',
  'metadata_entries',
  'changes',
  'webhook_endpoints',
  'cached_views',
  'idempotency_keys',
  'auth_failures',
];

/** Every `table.column` of the schema holding `needle` anywhere in its text, with a count. */
async function tracesOf(needle: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    `SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%'
        AND m.name <> 'd1_migrations'`,
  ).all<{ t: string; c: string }>();
  const tables = new Map<string, string[]>();
  for (const { t, c } of results) tables.set(t, [...(tables.get(t) ?? []), c]);
  expect(tables.size).toBeGreaterThan(15);
  const found: Record<string, number> = {};
  for (const [table, columns] of tables) {
    const sums = columns.map((c, i) => `sum(instr(CAST("${c}" AS TEXT), ?1) > 0) AS c${i}`);
    const row = await env.DB.prepare(`SELECT ${sums.join(', ')} FROM "${table}"`)
      .bind(needle)
      .first<Record<string, number | null>>();
    columns.forEach((column, i) => {
      const count = row?.[`c${i}`] ?? 0;
      if (count > 0) found[`${table}.${column}`] = count;
    });
  }
  return found;
}

async function kvKeysWith(needle: string): Promise<string[]> {
  const { keys } = await env.CACHE.list();
  return keys.map((key) => key.name).filter((name) => name.includes(needle));
}

/** An application that owns a row in every table that can name it. */
async function appOwningEverything() {
  const setup = await lifecycle.authorizedAppWithHotRead([
    'profile',
    'data:read',
    'metadata.write',
  ]);
  const { app, accessToken: token, account } = setup;
  const activityId = setup.path.split('/').pop() as string;
  await lifecycle.patchApp(app.clientId, { rate_limit_tier: 'high' });
  await call(`${setup.path}/app-metadata`, { method: 'PUT', token, json: { plan: 'base' } });
  // The write dropped the writer's view: read again to cache it.
  await call(setup.path, { token });
  const entry = await call('/api/v2/metadata/zones', {
    method: 'PUT',
    token,
    json: { value: 'z2' },
  });
  expect(entry.status).toBe(201);
  const idempotent = await call('/api/v1/activities', {
    method: 'POST',
    token,
    json: sampleActivity,
    headers: { 'Idempotency-Key': 'purge-test-1' },
  });
  expect(idempotent.status).toBe(201);
  const endpoint = await registerEndpoint(app.clientId);
  await env.DB.prepare(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, attempt, status, http_status, duration_ms, created_at)
     VALUES (?, 'evt_purge', 1, 'delivered', 200, 5, 0)`,
  )
    .bind(endpoint.id)
    .run();
  await obtainCallback(account, { app, scopes: ['profile'] });
  await new Browser().get((await authorizeUrl({ app, scopes: ['profile'] })).path);
  await lifecycle.refresh(app, 'not-a-refresh-token', true, 'a-wrong-secret');
  return { ...setup, activityId, endpointId: endpoint.id };
}

describe('DELETE /api/v1/admin/applications/{client_id}?purge=true', () => {
  it('answers 204 and leaves no row that names the application in any table', async () => {
    const { app, endpointId } = await appOwningEverything();
    const before = Object.keys(await tracesOf(app.clientId)).map((c) => c.split('.')[0]);
    expect(new Set(before)).toStrictEqual(new Set([...OWNING_TABLES, 'activities']));
    const res = await purge(app.clientId);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const left = await tracesOf(app.clientId);
    const unexpected = Object.keys(left).filter((column) => !KEPT_COLUMNS.has(column));
    expect(unexpected).toStrictEqual([]);
    const deliveries = await env.DB.prepare(
      'SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?',
    )
      .bind(endpointId)
      .first<{ n: number }>();
    expect(deliveries?.n).toBe(0);
  }, 30_000);

  it('deletes its KV entries: the cached views and the rate-limit tier', async () => {
    const { app } = await appOwningEverything();
    expect((await kvKeysWith(app.clientId)).length).toBeGreaterThan(1);
    await purge(app.clientId);
    expect(await kvKeysWith(app.clientId)).toStrictEqual([]);
  });

  it('fails the old tokens: hot read 401 invalid_token, refresh 401 invalid_client', async () => {
    const { app, accessToken, refreshToken, path } = await appOwningEverything();
    await purge(app.clientId);
    const read = await call(path, { token: accessToken });
    expect(read.status).toBe(401);
    expect(await read.json()).toStrictEqual(apiError('invalid_token'));
    const refreshed = await lifecycle.refresh(app, refreshToken);
    expect(refreshed.status).toBe(401);
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_client' });
  });

  it("keeps the users' entities and other apps' data, and tells the users nothing", async () => {
    const { app, account, path, activityId } = await appOwningEverything();
    const user = { id: account.id, email: account.email };
    const other = await createApp();
    const otherToken = await appToken(user, other);
    await call(`${path}/app-metadata`, { method: 'PUT', token: otherToken, json: { kept: true } });
    const changesBefore = await changesOf(account.id);
    await purge(app.clientId);
    const key = await personalKey(user);
    const entity = await call(path, { token: key.token });
    expect(entity.status).toBe(200);
    expect(await entity.json()).toMatchObject({ id: activityId, created_by: app.clientId });
    const document = await call(`${path}/app-metadata`, { token: otherToken });
    expect(await document.json()).toStrictEqual({ kept: true });
    const after = await changesOf(account.id);
    expect(after).toStrictEqual(changesBefore.filter((c) => c.client_id !== app.clientId));
  });

  it('removes it from the list, and a second purge is 404', async () => {
    const app = await createApp();
    await purge(app.clientId);
    const list = (await (await lifecycle.adminCall('/api/v1/admin/applications')).json()) as Array<{
      client_id: string;
    }>;
    expect(list.map((item) => item.client_id)).not.toContain(app.clientId);
    const again = await purge(app.clientId);
    expect(again.status).toBe(404);
    expect(await again.json()).toStrictEqual(apiError('not_found'));
  });

  it('purges a disabled application too', async () => {
    const app = await createApp();
    await lifecycle.adminCall(lifecycle.applicationPath(app.clientId), { method: 'DELETE' });
    expect((await purge(app.clientId)).status).toBe(204);
    expect(await lifecycle.applicationRow(app.clientId)).toBeNull();
  });

  it.each(['?purge=false', '?purge=', '?purge=1', '?purge=TRUE', '?purge=true&purge=true'])(
    'refuses %s 400 validation_error, changing nothing',
    async (query) => {
      const app = await createApp();
      const before = await lifecycle.applicationRow(app.clientId);
      const res = await purge(app.clientId, query);
      expect(res.status).toBe(400);
      expect(await res.json()).toStrictEqual(
        apiError('validation_error', { details: { purge: 'must be true, or absent to disable' } }),
      );
      expect(await lifecycle.applicationRow(app.clientId)).toStrictEqual(before);
    },
  );

  it.each(['app_unknown', 'not%20an%20id'])('answers the unknown %s 404', async (id) => {
    const res = await purge(id);
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('still only disables without purge', async () => {
    const app = await createApp();
    expect(
      (await lifecycle.adminCall(lifecycle.applicationPath(app.clientId), { method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect((await lifecycle.applicationRow(app.clientId))?.disabled_at).toEqual(expect.any(Number));
  });
});
