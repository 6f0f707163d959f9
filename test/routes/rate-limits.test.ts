/**
 * Spec §15 rate limits at the API, with the real Rate Limiting bindings of wrangler.toml
 * (Miniflare's limiter): app tokens per (application, user) by tier, personal keys per key,
 * 429 `rate_limited` with Retry-After and the draft-ietf-httpapi-ratelimit-headers fields.
 * The limiter's counts outlive a test, so every test makes its own users and applications.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimitTier } from '../../src/auth/rate-limit-tier';
import { createEntity } from '../helpers/entities';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import {
  SPENDING_TIMEOUT_MS,
  expectApiRefusal,
  inOneWindow,
  statusCounts,
} from '../helpers/rate-limits';
import { call, serverTiming } from '../helpers/worker';

const profile = (token: string) => call('/api/v1/profile', { token });

async function pairOf(tier?: RateLimitTier) {
  const user = await createUser();
  const app = await createApp(tier === undefined ? {} : { rateLimitTier: tier });
  return { user, app, token: await appToken(user, app) };
}

describe('app tokens at the standard tier', { timeout: SPENDING_TIMEOUT_MS }, () => {
  it('answers the 301st request of one (application, user) pair within a window with 429', async () => {
    const { counts, refused } = await inOneWindow(async () => {
      const { token } = await pairOf();
      const counts = await statusCounts(300, () => profile(token));
      return { counts, refused: await profile(token) };
    });
    expect(counts).toStrictEqual({ 200: 300 });
    await expectApiRefusal(refused, 'standard', 300);
    expect(refused.headers.get('WWW-Authenticate')).toBeNull();
  });

  it('keeps every other budget: the same app for another user, another app, a personal key', async () => {
    const seen = await inOneWindow(async () => {
      const { user, app, token } = await pairOf();
      await statusCounts(301, () => profile(token));
      const otherUser = await appToken(await createUser(), app);
      const otherApp = await appToken(user, await createApp());
      const key = await personalKey(user);
      return {
        spent: (await profile(token)).status,
        otherUser: (await profile(otherUser)).status,
        otherApp: (await profile(otherApp)).status,
        personalKey: (await profile(key.token)).status,
      };
    });
    expect(seen).toStrictEqual({ spent: 429, otherUser: 200, otherApp: 200, personalKey: 200 });
  });

  it('announces the policy on allowed responses, without a RateLimit it could not know', async () => {
    const { token } = await pairOf();
    const response = await profile(token);
    expect(response.status).toBe(200);
    expect(response.headers.get('RateLimit-Policy')).toBe('"standard";q=300;w=60');
    expect(response.headers.get('RateLimit')).toBeNull();
  });

  it('refuses without a D1 round trip, and a hot read stays free of D1 under the limit', async () => {
    const result = await inOneWindow(async () => {
      const { token } = await pairOf();
      const path = `/api/v1/activities/${(await createEntity(token)).id}`;
      await call(path, { token });
      const hot = await call(path, { token });
      await statusCounts(297, () => profile(token));
      return { hot, refused: await call(path, { token }) };
    });
    expect(result.hot.status).toBe(200);
    expect(serverTiming(result.hot)).toStrictEqual({ cache: 'hit', d1: 0 });
    expect(result.refused.status).toBe(429);
    expect(serverTiming(result.refused)).toStrictEqual({ cache: 'bypass', d1: 0 });
  });
});

describe('other tiers', { timeout: SPENDING_TIMEOUT_MS }, () => {
  it('lets a high-tier pair make more than 300 requests, under its own policy', async () => {
    const { counts, last } = await inOneWindow(async () => {
      const { token } = await pairOf('high');
      const counts = await statusCounts(301, () => profile(token));
      return { counts, last: await profile(token) };
    });
    expect(counts).toStrictEqual({ 200: 301 });
    expect(last.status).toBe(200);
    expect(last.headers.get('RateLimit-Policy')).toBe('"high";q=3000;w=60');
  });

  it('never limits an unlimited application and announces no policy for it', async () => {
    const { token } = await pairOf('unlimited');
    const counts = await statusCounts(320, () => profile(token));
    expect(counts).toStrictEqual({ 200: 320 });
    const last = await profile(token);
    expect(last.headers.get('RateLimit-Policy')).toBeNull();
    expect(last.headers.get('RateLimit')).toBeNull();
  });
});
