/**
 * Headers every response carries (security, request id, caching), set once before the handler
 * so that handlers can replace them, and Server-Timing on every response.
 */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { call, serverTiming } from '../helpers/worker';

const SECURITY = {
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

function pick(response: Response, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));
}

describe('response headers', () => {
  it.each([
    ['a hot-path API read', '/api/v1/profile'],
    ['an API error', '/api/v1/activities/act_missing'],
    ['an unknown path', '/nowhere'],
    ['the health check', '/health'],
  ])('carries the security headers on %s', async (_name, path) => {
    const { token } = await userWithApp();
    const res = await call(path, { token });
    expect(pick(res, Object.keys(SECURITY))).toStrictEqual(SECURITY);
  });

  it('marks every JSON API response no-store, success and error alike', async () => {
    const { token } = await userWithApp();
    const ok = await call('/api/v1/profile', { token });
    const missing = await call('/api/v1/activities/act_missing', { token });
    expect([ok.status, ok.headers.get('Cache-Control')]).toStrictEqual([200, 'no-store']);
    expect([missing.status, missing.headers.get('Cache-Control')]).toStrictEqual([404, 'no-store']);
  });

  it('lets a handler replace a default header: the JWKS is publicly cacheable', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('lets the HTML pages keep their own framing and referrer rules', async () => {
    const res = await call('/login');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('generates its own request id and echoes a well-formed caller id beside it', async () => {
    const res = await call('/api/v1/profile', { headers: { 'X-Request-Id': 'client-trace-0001' } });
    expect(res.status).toBe(401);
    const id = res.headers.get('X-Request-Id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('X-Client-Request-Id')).toBe('client-trace-0001');
    expect(((await res.json()) as { requestId: string }).requestId).toBe(id);
  });

  it('never lets two requests share a request id by sending the same X-Request-Id', async () => {
    const headers = { 'X-Request-Id': 'client-trace-0002' };
    const [first, second] = await Promise.all([
      call('/api/v1/profile', { headers }),
      call('/api/v1/profile', { headers }),
    ]);
    const ids = [first, second].map((res) => res.headers.get('X-Request-Id'));
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids).not.toContain('client-trace-0002');
  });

  it.each([['short'], ['has spaces in it'], ['<script>alert(1)</script>'], ['x'.repeat(200)]])(
    'ignores a malformed X-Request-Id (%s): a fresh id, nothing echoed',
    async (incoming) => {
      const res = await call('/health', { headers: { 'X-Request-Id': incoming } });
      const id = res.headers.get('X-Request-Id');
      expect(id).not.toBe(incoming);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('X-Client-Request-Id')).toBeNull();
    },
  );

  it('reports Server-Timing on errors too', async () => {
    const res = await call('/api/v1/activities');
    expect(res.status).toBe(401);
    expect(serverTiming(res)).toStrictEqual({ cache: 'bypass', d1: 0 });
  });
});
