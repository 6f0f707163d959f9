/**
 * Account erasure tests (spec §15): an account signed in from a browser with two authorized
 * apps (each with a token, a document on an activity and a hot cached view) and a personal
 * key; the user's own DELETE /api/v1/profile; and a scan of every table of the schema for any
 * trace of a user.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { sha256 } from '../../src/ids';
import * as web from './browser';
import { sampleActivity } from './entities';
import { appToken, createApp, personalKey } from './factories';
import { type BindingOverrides, ORIGIN, apiError, call, serverTiming } from './worker';

export async function erasableAccount() {
  const account = await web.createAccount();
  const user = { id: account.id, email: account.email };
  const browser = await web.signedInBrowser(account);
  const apps = [await createApp(), await createApp()];
  const tokens = [await appToken(user, apps[0]!), await appToken(user, apps[1]!)];
  const key = await personalKey(user);
  const created = await call('/api/v1/activities', {
    method: 'POST',
    token: tokens[0],
    json: sampleActivity,
  });
  const path = `/api/v1/activities/${((await created.json()) as { id: string }).id}`;
  for (const [index, token] of tokens.entries()) {
    const put = await call(`${path}/app-metadata`, { method: 'PUT', token, json: { n: index } });
    expect(put.status).toBe(200);
    await call(path, { token });
    expect(serverTiming(await call(path, { token })).cache).toBe('hit');
  }
  return { account, user, browser, apps, tokens, key, path };
}

export type Erasable = Awaited<ReturnType<typeof erasableAccount>>;

/** The Cookie header the browser would send. */
export function cookieHeader(browser: web.Browser): string {
  return [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * DELETE /api/v1/profile with the browser's cookies, same-origin, with a JSON body (a string
 * is sent as is); `bindings` swap the Worker's (a recording queue).
 */
export function eraseOwn(
  browser: web.Browser,
  body: unknown,
  headers: Record<string, string> = {},
  bindings: BindingOverrides = {},
) {
  return call('/api/v1/profile', {
    method: 'DELETE',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'Content-Type': 'application/json',
      Origin: ORIGIN,
      Cookie: cookieHeader(browser),
      'CF-Connecting-IP': browser.ip,
      ...headers,
    },
    bindings,
  });
}

/** The tables of the schema (sqlite_master), without SQLite's and the platform's own. */
export async function schemaTables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
        AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'
      ORDER BY name`,
  ).all<{ name: string }>();
  return results.map((row) => row.name);
}

/**
 * For every table, how many rows hold any of `needles` anywhere in any column (as text), so
 * ids inside JSON, scopes and hashed buckets count too; tables with none are left out.
 */
export async function tablesHolding(needles: string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const table of await schemaTables()) {
    const { results } = await env.DB.prepare('SELECT name FROM pragma_table_info(?)')
      .bind(table)
      .all<{ name: string }>();
    const test = results
      .flatMap(({ name }) => needles.map(() => `instr(CAST("${name}" AS TEXT), ?) > 0`))
      .join(' OR ');
    const binds = results.flatMap(() => needles);
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${test}`)
      .bind(...binds)
      .first<{ n: number }>();
    if ((row?.n ?? 0) > 0) found[table] = row?.n ?? 0;
  }
  return found;
}

/** What identifies an account in storage: its id, its email, and the hash its throttles use. */
export async function traceNeedles(account: { id: string; email: string }): Promise<string[]> {
  return [account.id, account.email, await sha256(account.email)];
}

/** The account's change rows that outlive it: one `authorization.revoked` per app. */
export async function survivingChanges(userId: string) {
  const { results } = await env.DB.prepare(
    'SELECT client_id, type FROM changes WHERE user_id = ? ORDER BY client_id',
  )
    .bind(userId)
    .all<{ client_id: string; type: string }>();
  return results;
}

/** The revocation notices expected for these apps, in survivingChanges' order. */
export function revocationNotices(clientIds: string[]) {
  return [...clientIds].sort().map((client_id) => ({ client_id, type: 'authorization.revoked' }));
}

/**
 * Nothing of the account answers any more: every app token (a hot cached read first) and the
 * personal key are 401, the password no longer signs in, the old session is signed out.
 */
export async function expectErased(setup: Erasable) {
  for (const token of setup.tokens) {
    const hot = await call(setup.path, { token });
    expect(hot.status).toBe(401);
    expect(await hot.json()).toStrictEqual(apiError('invalid_token'));
    expect(hot.headers.get('WWW-Authenticate')).toMatch(
      /^Bearer realm="appmeta", error="invalid_token"/,
    );
    expect((await call('/api/v1/profile', { token })).status).toBe(401);
  }
  const exported = await call('/api/v1/profile/export', { token: setup.key.token });
  expect(exported.status).toBe(401);
  const login = await web.loginAttempt(
    new web.Browser(),
    setup.account.email,
    setup.account.password,
  );
  expect(login.status).toBe(401);
  const settings = await setup.browser.get('/settings');
  expect(settings.status).toBe(303);
  expect(settings.headers.get('Location')).toBe('/login');
}
