/**
 * Spec §15 rate limits at /oauth/token and /oauth/revoke: per client_id by the client's tier
 * ×2 (600 per 60 s at `standard`), one budget for both endpoints, counted after the client is
 * identified; a spent budget answers 429 in RFC 6749's JSON shape. The real bindings count, so
 * every test makes its own clients; recording doubles show which budget each request spends.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimitTier } from '../../src/auth/rate-limit-tier';
import { type TestApp, createApp } from '../helpers/factories';
import { basicAuth } from '../helpers/oauth-flow';
import {
  SPENDING_TIMEOUT_MS,
  expectRefusalFields,
  inOneWindow,
  statusCounts,
} from '../helpers/rate-limits';
import { recordingLimiters } from '../helpers/bindings';
import { type BindingOverrides, type CallOptions, call, serverTiming } from '../helpers/worker';

function formCall(
  form: Record<string, string>,
  bindings: BindingOverrides = {},
  headers: Record<string, string> = {},
): CallOptions {
  return {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    bindings,
  };
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return call(path, formCall(form, {}, headers));
}

/** A public client revoking an unknown token: 200 (RFC 7009 §2.2) once it is identified. */
const revoke = (app: TestApp) => post('/oauth/revoke', { client_id: app.clientId, token: 'nope' });
/** A public client refreshing a bogus token: 400 invalid_grant once it is identified. */
const refresh = (app: TestApp) =>
  post('/oauth/token', {
    client_id: app.clientId,
    grant_type: 'refresh_token',
    refresh_token: 'nope',
  });

const publicClient = (tier?: RateLimitTier) =>
  createApp(
    tier === undefined ? { confidential: false } : { confidential: false, rateLimitTier: tier },
  );

describe('the OAuth endpoints at the standard tier', { timeout: SPENDING_TIMEOUT_MS }, () => {
  it('answers the 601st request of one client in a window with 429 temporarily_unavailable', async () => {
    const seen = await inOneWindow(async () => {
      const app = await publicClient();
      const refreshes = await statusCounts(500, () => refresh(app));
      const revokes = await statusCounts(100, () => revoke(app));
      const other = await publicClient();
      return {
        refreshes,
        revokes,
        refused: [await refresh(app), await revoke(app)],
        other: (await revoke(other)).status,
      };
    });
    expect(seen.refreshes).toStrictEqual({ 400: 500 });
    expect(seen.revokes).toStrictEqual({ 200: 100 });
    for (const refused of seen.refused) {
      expect(refused.status).toBe(429);
      expect(await refused.json()).toStrictEqual({
        error: 'temporarily_unavailable',
        error_description: 'Too many requests from this client; retry after Retry-After seconds.',
      });
      expect(refused.headers.get('Cache-Control')).toBe('no-store');
      expect(refused.headers.get('RateLimit-Policy')).toBe('"oauth-standard";q=600;w=60');
      expectRefusalFields(refused, 'oauth-standard');
      // Only the client's identification touched D1.
      expect(serverTiming(refused).d1).toBe(1);
    }
    expect(seen.other).toBe(200);
  });

  it('announces the policy on every response of an identified client', async () => {
    const response = await refresh(await publicClient());
    expect(response.status).toBe(400);
    expect(response.headers.get('RateLimit-Policy')).toBe('"oauth-standard";q=600;w=60');
    expect(response.headers.get('RateLimit')).toBeNull();
  });

  it('exposes the fields to a browser app (CORS)', async () => {
    const app = await publicClient();
    const response = await post(
      '/oauth/revoke',
      { client_id: app.clientId, token: 'nope' },
      { Origin: 'https://app.example.test' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example.test');
    const exposed = (response.headers.get('Access-Control-Expose-Headers') ?? '').split(/, */);
    expect(exposed).toEqual(
      expect.arrayContaining(['RateLimit', 'RateLimit-Policy', 'Retry-After']),
    );
  });
});

describe('the budget a client spends', () => {
  it.each([
    ['standard', 'OAUTH_LIMIT_STANDARD'],
    ['high', 'OAUTH_LIMIT_HIGH'],
  ] as const)('keys a %s client by its client_id on both endpoints', async (tier, binding) => {
    const app = await publicClient(tier);
    const { bindings, calls } = recordingLimiters('allow');
    const form = { client_id: app.clientId, token: 'nope' };
    expect((await call('/oauth/revoke', formCall(form, bindings))).status).toBe(200);
    const grant = { client_id: app.clientId, grant_type: 'refresh_token', refresh_token: 'nope' };
    expect((await call('/oauth/token', formCall(grant, bindings))).status).toBe(400);
    expect(calls).toStrictEqual([
      { binding, key: app.clientId },
      { binding, key: app.clientId },
    ]);
  });

  it('makes no limiter call for an unlimited client', async () => {
    const app = await publicClient('unlimited');
    const { bindings, calls } = recordingLimiters('refuse');
    const form = { client_id: app.clientId, token: 'nope' };
    const response = await call('/oauth/revoke', formCall(form, bindings));
    expect(response.status).toBe(200);
    expect(calls).toStrictEqual([]);
    expect(response.headers.get('RateLimit-Policy')).toBeNull();
  });

  it('counts only after authentication: wrong secrets spend nothing, the right one is served', async () => {
    const app = await createApp({ confidential: true });
    const { bindings, calls } = recordingLimiters('allow');
    const wrong = { Authorization: basicAuth(app, 'wrong'), 'CF-Connecting-IP': '203.0.113.9' };
    const failures = await statusCounts(25, () =>
      call('/oauth/revoke', formCall({ token: 'nope' }, bindings, wrong)),
    );
    expect(failures).toStrictEqual({ 401: 20, 429: 5 });
    expect(calls).toStrictEqual([]);
    const right = { Authorization: basicAuth(app), 'CF-Connecting-IP': '203.0.113.9' };
    const served = await call('/oauth/revoke', formCall({ token: 'nope' }, bindings, right));
    expect(served.status).toBe(200);
    expect(calls).toStrictEqual([{ binding: 'OAUTH_LIMIT_STANDARD', key: app.clientId }]);
  });
});
