/**
 * Revocation reach holds whatever the number of entities an app has read (spec §11): at
 * most VIEWS_MAX_PER_USER views of one user exist, so a revocation deletes all of them
 * from KV within one invocation; the rest are read from D1, uncached
 * (issue: revoking an app with more than ~1,000 hot views left some readable for up to 300 s).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { VIEWS_MAX_PER_USER } from '../../src/config';
import { newId } from '../../src/ids';
import { KV_OPERATIONS_PER_INVOCATION, budgetedKv } from '../helpers/bindings';
import { personalKey, userWithApp } from '../helpers/factories';
import { ALL_SCOPES } from '../helpers/scopes';
import { call, serverTiming } from '../helpers/worker';

/** Enough beyond the cap that deleting every view twice would pass KV's per-invocation limit. */
const BEYOND = KV_OPERATIONS_PER_INVOCATION / 2 - VIEWS_MAX_PER_USER + 10;
/** Hundreds of requests in one test: a generous bound, not a speed assertion. */
const MANY_REQUESTS_TIMEOUT_MS = 120_000;
/**
 * Over a thousand reads by one (app, user) pair within a minute, far beyond the `standard`
 * tier's 300 (spec §15): the app is `unlimited`, as first-party apps and load tests are, so
 * these tests see the cache and revocation, not the rate limit.
 */
const manyReadsApp = () => userWithApp(ALL_SCOPES, { rateLimitTier: 'unlimited' });

async function manyActivities(userId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId('act'));
  const now = Math.floor(Date.now() / 1000);
  const statements = ids.map((id, i) =>
    env.DB.prepare(
      `INSERT INTO activities (id, user_id, sport, start, "end", duration, distance, name, description, tags, created_at, updated_at)
       VALUES (?, ?, 'running', ?, ?, 600, NULL, 'Run', '', '[]', ?, ?)`,
    ).bind(id, userId, now - i * 3600, now - i * 3600 + 600, now, now),
  );
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
  return ids;
}

async function readAll(ids: string[], token: string): Promise<Response[]> {
  const responses: Response[] = [];
  for (const id of ids) responses.push(await call(`/api/v1/activities/${id}`, { token }));
  return responses;
}

describe('revocation reach with many read entities', () => {
  it(
    'caches at most the cap of one principal’s views of a user',
    async () => {
      const { user, token } = await manyReadsApp();
      const ids = await manyActivities(user.id, VIEWS_MAX_PER_USER + BEYOND);
      await readAll(ids, token);
      const again = await readAll(ids, token);
      const hits = again.filter((response) => serverTiming(response).cache === 'hit').length;
      expect(hits).toBe(VIEWS_MAX_PER_USER);
      expect(again.every((response) => response.status === 200)).toBe(true);
    },
    MANY_REQUESTS_TIMEOUT_MS,
  );

  it(
    'answers 401 on the next read of every entity once the app is revoked',
    async () => {
      const { user, app, token } = await manyReadsApp();
      const ids = await manyActivities(user.id, VIEWS_MAX_PER_USER + BEYOND);
      await readAll(ids, token);
      const key = await personalKey(user);
      const kv = budgetedKv();
      const revoked = await call(`/api/v1/profile/authorizations/${app.clientId}`, {
        method: 'DELETE',
        token: key.token,
        bindings: { CACHE: kv },
      });
      expect(revoked.status).toBe(204);
      expect(kv.operations).toBeLessThanOrEqual(KV_OPERATIONS_PER_INVOCATION);
      const after = await readAll(ids, token);
      expect(after.map((response) => response.status)).toStrictEqual(ids.map(() => 401));
    },
    MANY_REQUESTS_TIMEOUT_MS,
  );
});
