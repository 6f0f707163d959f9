/**
 * Issue 8 finding 2: wrong client secrets sent by a stranger must never lock the real client
 * out. The secret is verified first; only failures are counted, per (client, address).
 */
import { describe, expect, it } from 'vitest';
import { type TestApp, createApp } from '../helpers/factories';
import { failingD1 } from '../helpers/bindings';
import { basicAuth as basic } from '../helpers/oauth-flow';
import { apiError, call } from '../helpers/worker';

function post(path: string, form: Record<string, string>, headers: Record<string, string>) {
  return call(path, {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
}

const refresh = { grant_type: 'refresh_token', refresh_token: 'not-a-token' };

/** A refresh with a bogus token: 400 invalid_grant means the client authenticated. */
function tokenAs(app: TestApp, secret: string, address?: string) {
  const headers: Record<string, string> = { Authorization: basic(app, secret) };
  if (address !== undefined) headers['CF-Connecting-IP'] = address;
  return post('/oauth/token', refresh, headers);
}

async function failMany(app: TestApp, times: number, address?: string) {
  for (let attempt = 0; attempt < times; attempt += 1) {
    const response = await tokenAs(app, 'wrong', address);
    expect([401, 429]).toContain(response.status);
  }
}

describe('failed client authentication', () => {
  it("never refuses the real client's correct secret after a stranger's 25 failures", async () => {
    const app = await createApp({ confidential: true });
    await failMany(app, 25, '198.51.100.66');
    const token = await tokenAs(app, app.secret, '203.0.113.10');
    expect(token.status).toBe(400);
    expect(await token.json()).toStrictEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
    const revoke = await post(
      '/oauth/revoke',
      { token: 'not-a-token' },
      { Authorization: basic(app), 'CF-Connecting-IP': '203.0.113.10' },
    );
    expect(revoke.status).toBe(200);
    expect(revoke.headers.get('Cache-Control')).toBe('no-store');
  });

  it('accepts the correct secret even from the address that failed (verified first)', async () => {
    const app = await createApp({ confidential: true });
    await failMany(app, 25, '198.51.100.67');
    expect((await tokenAs(app, app.secret, '198.51.100.67')).status).toBe(400);
  });

  it('answers the 21st wrong secret from one (client, address) with 429 and Retry-After', async () => {
    const app = await createApp({ confidential: true });
    await failMany(app, 20, '198.51.100.68');
    const limited = await tokenAs(app, 'wrong', '198.51.100.68');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toStrictEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
    });
    expect(limited.headers.get('Retry-After')).toMatch(/^[1-9][0-9]*$/);
    expect(limited.headers.get('Cache-Control')).toBe('no-store');
  });

  it('counts each address on its own: another address still gets 401', async () => {
    const app = await createApp({ confidential: true });
    await failMany(app, 21, '198.51.100.69');
    const other = await tokenAs(app, 'wrong', '198.51.100.70');
    expect(other.status).toBe(401);
    expect(other.headers.get('WWW-Authenticate')).toBe('Basic realm="appmeta"');
  });

  it('counts IPv6 callers by their /64, so rotating addresses inside it does not help', async () => {
    const app = await createApp({ confidential: true });
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect((await tokenAs(app, 'wrong', `2001:db8:7:7::${attempt + 1}`)).status).toBe(401);
    }
    expect((await tokenAs(app, 'wrong', '2001:db8:7:7:ffff::1')).status).toBe(429);
    expect((await tokenAs(app, 'wrong', '2001:db8:7:8::1')).status).toBe(401);
  });

  it('puts callers without CF-Connecting-IP in one fixed bucket', async () => {
    const app = await createApp({ confidential: true });
    await failMany(app, 20);
    expect((await tokenAs(app, 'wrong')).status).toBe(429);
    expect((await tokenAs(app, 'wrong', '198.51.100.71')).status).toBe(401);
  });

  it.each([
    ['an empty address', ''],
    ['markup', '<script>alert(1)</script>'],
    ['a very long value', '1'.repeat(5000)],
    ['a list of addresses', '198.51.100.1, 10.0.0.1'],
  ])('answers a wrong secret with %s as CF-Connecting-IP with a clear 401', async (_n, ip) => {
    const app = await createApp({ confidential: true });
    const response = await tokenAs(app, 'wrong', ip);
    expect(response.status).toBe(401);
    expect(await response.json()).toStrictEqual({
      error: 'invalid_client',
      error_description: expect.any(String),
    });
  });

  it('leaves errors that are not OAuth errors to the root handler (503 when D1 fails)', async () => {
    const app = await createApp({ confidential: true });
    const response = await call('/oauth/token', {
      method: 'POST',
      body: new URLSearchParams(refresh).toString(),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basic(app),
      },
      bindings: { DB: failingD1() },
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toStrictEqual(apiError('service_unavailable'));
  });
});
