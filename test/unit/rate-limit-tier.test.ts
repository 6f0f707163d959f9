/**
 * How a tier change reaches the rate limiter (spec §15, docs/operations.md "Rate limits"): this
 * isolate at once, other isolates when their memo of the KV key expires (TIER_MEMO_SECONDS).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  TIER_MEMO_SECONDS,
  applicationTier,
  publishApplicationTier,
} from '../../src/auth/rate-limit-tier';
import { newId } from '../../src/ids';
import { Cache, tierKey } from '../../src/storage/kv-cache';
import { recordingLimiters } from '../helpers/bindings';
import { appToken, createApp, createUser } from '../helpers/factories';
import { call } from '../helpers/worker';

const cache = () =>
  new Cache(
    env.CACHE,
    () => undefined,
    () => undefined,
  );
const NOW = 1_800_000_000;

describe('applicationTier', () => {
  it('is standard for an application whose tier was never published', async () => {
    expect(await applicationTier(cache(), newId('app'), NOW)).toBe('standard');
  });

  it('answers a published tier at once in this isolate, and stores it for the others', async () => {
    const clientId = newId('app');
    await publishApplicationTier(cache(), clientId, 'high', NOW);
    expect(await applicationTier(cache(), clientId, NOW)).toBe('high');
    expect(await env.CACHE.get(tierKey(clientId), 'json')).toBe('high');
  });

  it('sees a change made elsewhere once its memo of the key expires', async () => {
    const clientId = newId('app');
    await publishApplicationTier(cache(), clientId, 'high', NOW);
    // Another isolate published `unlimited`: only KV changed here.
    await env.CACHE.put(tierKey(clientId), JSON.stringify('unlimited'));
    expect(await applicationTier(cache(), clientId, NOW + TIER_MEMO_SECONDS - 1)).toBe('high');
    expect(await applicationTier(cache(), clientId, NOW + TIER_MEMO_SECONDS)).toBe('unlimited');
  });

  it('moves the next request of the application to the new tier’s binding', async () => {
    const user = await createUser();
    const app = await createApp();
    const token = await appToken(user, app);
    const before = recordingLimiters('allow');
    await call('/api/v1/profile', { token, bindings: before.bindings });
    await publishApplicationTier(cache(), app.clientId, 'high', Math.floor(Date.now() / 1000));
    const after = recordingLimiters('allow');
    await call('/api/v1/profile', { token, bindings: after.bindings });
    expect([before.calls[0]?.binding, after.calls[0]?.binding]).toStrictEqual([
      'API_LIMIT_STANDARD',
      'API_LIMIT_HIGH',
    ]);
  });
});
