/**
 * spec §15: CORS for browser apps on /oauth/token, /oauth/revoke and /api/*. Allowed: the
 * origins of enabled applications' redirect URIs; never credentials; preflights cached.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetCorsOrigins } from '../../src/http/cors';
import { createUser, appToken, type TestApp } from '../helpers/factories';
import { countingD1 } from '../helpers/bindings';
import { apiError, call, serverTiming } from '../helpers/worker';

const ADMIN = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
let sequence = 0;

/** Registers a public app whose redirect URI lives on `https://spa-<n>.example.test`. */
async function browserApp(): Promise<TestApp & { origin: string }> {
  sequence += 1;
  const origin = `https://spa-${sequence}-${Date.now()}.example.test`;
  const res = await call('/api/v1/admin/applications', {
    method: 'POST',
    headers: ADMIN,
    json: {
      name: 'Browser app',
      redirect_uris: [`${origin}/callback`],
      confidential: false,
      scopes: ['profile', 'data:read'],
    },
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { client_id: string };
  return { clientId: body.client_id, secret: '', origin };
}

function preflight(path: string, origin: string, method = 'POST', headers = 'authorization') {
  return call(path, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': headers,
    },
  });
}

beforeEach(() => resetCorsOrigins());

describe('CORS preflight', () => {
  it.each(['/oauth/token', '/oauth/revoke', '/api/v1/profile', '/api/v1/activities/act_x'])(
    'allows an app origin on %s, without credentials, cached for two hours',
    async (path) => {
      const app = await browserApp();
      const res = await preflight(path, app.origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(app.origin);
      expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
      expect(res.headers.get('Access-Control-Max-Age')).toBe('7200');
      expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
      expect(res.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
      expect(res.headers.get('Vary')).toContain('Origin');
    },
  );

  it.each([
    ['an unregistered origin', 'https://evil.example.test'],
    ['a registered host on another scheme', 'http://app.example.test'],
    ['a registered host on another port', 'https://app.example.test:8443'],
    ['a suffix of a registered host', 'https://example.test'],
    ['the null origin', 'null'],
    ['garbage', 'not a url'],
  ])('refuses %s', async (_name, origin) => {
    await browserApp();
    const res = await preflight('/api/v1/profile', origin);
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('refuses every origin on the admin API', async () => {
    const app = await browserApp();
    const res = await preflight('/api/v1/admin/applications', app.origin);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('refuses the origin of a disabled application', async () => {
    const app = await browserApp();
    const disabled = await call(`/api/v1/admin/applications/${app.clientId}`, {
      method: 'DELETE',
      headers: ADMIN,
    });
    expect(disabled.status).toBe(204);
    const res = await preflight('/api/v1/profile', app.origin);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('CORS on actual requests', () => {
  it('a browser app reads an API response and its exposed headers', async () => {
    const app = await browserApp();
    const token = await appToken(await createUser(), app, ['profile']);
    const res = await call('/api/v1/profile', { token, headers: { Origin: app.origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(app.origin);
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Server-Timing');
    expect(res.headers.get('Vary')).toContain('Origin');
  });

  it('a browser app reads an error from the API, challenge included', async () => {
    const app = await browserApp();
    const res = await call('/api/v1/profile', { headers: { Origin: app.origin } });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('unauthorized', { hint: expect.any(String) }));
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="appmeta"');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(app.origin);
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('WWW-Authenticate');
  });

  it('a browser app reads a token endpoint error in the RFC 6749 shape', async () => {
    const app = await browserApp();
    const res = await call('/oauth/token', {
      method: 'POST',
      headers: { Origin: app.origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'nope',
        redirect_uri: `${app.origin}/callback`,
        code_verifier: 'v'.repeat(43),
        client_id: app.clientId,
      }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(app.origin);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('a request without Origin gets no CORS headers and makes no origin lookup', async () => {
    const app = await browserApp();
    const token = await appToken(await createUser(), app, ['profile']);
    await call('/api/v1/profile', { token });
    const plain = await call('/api/v1/profile', { token });
    expect(serverTiming(plain)).toStrictEqual({ cache: 'hit', d1: 0 });
    expect(plain.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(plain.headers.get('Access-Control-Expose-Headers')).toBeNull();
    expect(plain.headers.get('Vary')).toBeNull();
  });

  it('a hot read from a browser app costs one D1 lookup per isolate, then none', async () => {
    const app = await browserApp();
    const token = await appToken(await createUser(), app, ['profile']);
    await call('/api/v1/profile', { token });
    const first = await call('/api/v1/profile', { token, headers: { Origin: app.origin } });
    expect(serverTiming(first)).toStrictEqual({ cache: 'hit', d1: 1 });
    const second = await call('/api/v1/profile', { token, headers: { Origin: app.origin } });
    expect(serverTiming(second)).toStrictEqual({ cache: 'hit', d1: 0 });
    expect(second.headers.get('Access-Control-Allow-Origin')).toBe(app.origin);
  });

  it('a known origin is answered from the isolate without D1 after the first lookup', async () => {
    const app = await browserApp();
    await preflight('/api/v1/profile', app.origin);
    const d1 = countingD1(env.DB);
    const res = await call('/api/v1/profile', {
      method: 'OPTIONS',
      headers: { Origin: app.origin, 'Access-Control-Request-Method': 'GET' },
      bindings: { DB: d1.db },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(app.origin);
    expect(d1.count()).toBe(0);
  });

  it('a flood of unknown origins costs at most one D1 lookup per refresh interval', async () => {
    await browserApp();
    const started = Date.now();
    await preflight('/api/v1/profile', 'https://first.example.test');
    const d1 = countingD1(env.DB);
    for (let index = 0; index < 20; index += 1) {
      await call('/api/v1/profile', {
        method: 'OPTIONS',
        headers: { Origin: `https://invented-${index}.example.test` },
        bindings: { DB: d1.db },
      });
    }
    // One re-read per 5 s at most (src/http/cors.ts), however slow this machine is today.
    expect(d1.count()).toBeLessThanOrEqual(Math.floor((Date.now() - started) / 5000));
  });

  it('the JWKS and server metadata are readable from any origin', async () => {
    const res = await call('/.well-known/jwks.json', {
      headers: { Origin: 'https://anyone.example.test' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });
});
