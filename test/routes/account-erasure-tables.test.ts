/**
 * Erasure is complete (spec §15, security.md "Deletion is complete"): with the user's data
 * seeded into every table of the schema, no table holds the user's id, email or its hash in
 * any column afterwards, except the `authorization.revoked` notice each authorized app is
 * owed (the change rows webhook delivery reads after the commit; the retention purge takes
 * them). The admin's erasure is one lookup and ONE D1 batch.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Scope } from '../../src/auth/scopes';
import { sampleBodies } from '../helpers/entities';
import {
  type Erasable,
  erasableAccount,
  revocationNotices,
  schemaTables,
  survivingChanges,
  tablesHolding,
  traceNeedles,
} from '../helpers/erasure';
import * as web from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { obtainTokens } from '../helpers/oauth-flow';
import { ADMIN, RecordingQueue, consume, registerEndpoint } from '../helpers/webhooks';
import { call, serverTiming } from '../helpers/worker';

// Each test signs an account in and hashes passwords with PBKDF2 (100,000 iterations) several
// times, which takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  vi.restoreAllMocks();
});

/** Traces and tests with tags, a profile document, v2 entries and an idempotent create. */
async function seedData(setup: Erasable) {
  const [tokenA, tokenB] = setup.tokens as [string, string];
  for (const kind of ['traces', 'tests'] as const) {
    const created = await call(`/api/v1/${kind}`, {
      method: 'POST',
      token: tokenA,
      json: sampleBodies[kind],
    });
    expect(created.status).toBe(201);
  }
  const profileDoc = await call('/api/v1/profile/app-metadata', {
    method: 'PUT',
    token: tokenB,
    json: { plan: 'base' },
  });
  expect(profileDoc.status).toBe(200);
  for (const token of [tokenA, tokenB]) {
    const put = await call('/api/v2/metadata/k', { method: 'PUT', token, json: { value: 'v' } });
    expect(put.status).toBe(201);
  }
  const idempotent = await call('/api/v1/activities', {
    method: 'POST',
    token: tokenB,
    json: sampleBodies.activities,
    headers: { 'Idempotency-Key': 'erase-me' },
  });
  expect(idempotent.status).toBe(201);
}

/** A real code flow (code, refresh token, request rows), a failed login, webhook deliveries. */
async function seedIdentityAndWebhooks(setup: Erasable) {
  const oauthApp = await createApp();
  const scopes: Scope[] = ['profile', 'data:read'];
  await obtainTokens(setup.account, oauthApp, scopes, true);
  const pending = await web.signedInBrowser(setup.account);
  await pending.get(
    `/oauth/authorize?response_type=code&client_id=${setup.apps[0]!.clientId}` +
      '&redirect_uri=https://app.example.test/callback&scope=profile&state=s' +
      '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&prompt=consent',
  );
  const failed = await web.loginAttempt(new web.Browser(), setup.account.email, 'wrong password');
  expect(failed.status).toBe(401);
  const endpoint = await registerEndpoint(setup.apps[0]!.clientId);
  // An event after the endpoint exists (endpoints receive only changes from their creation on).
  const put = await call('/api/v2/metadata/after', {
    method: 'PUT',
    token: setup.tokens[0],
    json: { value: 'v' },
  });
  expect(put.status).toBe(201);
  const queue = new RecordingQueue();
  await consume([{ body: { kind: 'pump' } }], { WEBHOOK_QUEUE: queue });
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('ok'));
  const mine = queue.deliveries().filter((message) => message.endpoint_id === endpoint.id);
  expect(mine.length).toBeGreaterThan(0);
  await consume(mine.map((body) => ({ body })));
  return oauthApp;
}

describe('erasure leaves no trace in any table', () => {
  it('finds the user in none of the tables afterwards but the apps’ revocation notices', async () => {
    const setup = await erasableAccount();
    await seedData(setup);
    const oauthApp = await seedIdentityAndWebhooks(setup);
    const needles = await traceNeedles(setup.account);
    for (const table of await schemaTables()) {
      const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${table}"`).first<{
        n: number;
      }>();
      expect({ table, seeded: (row?.n ?? 0) > 0 }).toStrictEqual({ table, seeded: true });
    }
    expect(Object.keys(await tablesHolding(needles)).sort()).toStrictEqual([
      'activities',
      'api_keys',
      'app_metadata',
      'app_metadata_members',
      'auth_failures',
      'authorization_codes',
      'authorization_requests',
      'authorizations',
      'cached_views',
      'changes',
      'entity_tags',
      'idempotency_keys',
      'metadata_entries',
      'refresh_tokens',
      'sessions',
      'tests',
      'traces',
      'users',
    ]);
    const response = await call(`/api/v1/admin/users/${setup.account.id}`, {
      method: 'DELETE',
      headers: ADMIN,
    });
    expect(response.status).toBe(204);
    expect(serverTiming(response).d1).toBe(2);
    expect(await tablesHolding(needles)).toStrictEqual({ changes: 3 });
    const apps = [...setup.apps.map((app) => app.clientId), oauthApp.clientId];
    expect(await survivingChanges(setup.account.id)).toStrictEqual(revocationNotices(apps));
  });
});
