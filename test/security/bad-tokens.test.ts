/**
 * Forged and malformed bearer tokens (RFC 8725, RFC 9068, RFC 6750 §3): every row is a 401
 * invalid_token with the RFC 6750 challenge, whichever endpoint it is sent to.
 */
import { env } from 'cloudflare:workers';
import type { JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { appToken, createApp, createUser, type TestApp, type TestUser } from '../helpers/factories';
import { foreignSigningKey } from '../helpers/keys.config';
import {
  activeKey,
  appClaims,
  b64url,
  goodHeader,
  grantGen,
  signHs256WithPublicKey,
  signRaw,
  unsignedToken,
} from '../helpers/tokens';
import { apiError, call } from '../helpers/worker';

let user: TestUser;
let app: TestApp;
let disabledApp: TestApp;
let gen: number;
let valid: string;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  user = await createUser();
  app = await createApp();
  disabledApp = await createApp();
  valid = await appToken(user, app);
  await appToken(user, disabledApp);
  await env.DB.prepare('UPDATE applications SET disabled_at = ? WHERE client_id = ?')
    .bind(now(), disabledApp.clientId)
    .run();
  gen = await grantGen(user, app);
});

const claims = (overrides: JWTPayload = {}) => ({ ...appClaims(user, app, gen), ...overrides });
const without = (name: string) => {
  const copy = claims();
  delete copy[name];
  return copy;
};

type Case = [name: string, make: () => Promise<string> | string];

const cases: Case[] = [
  ['an expired token', () => signRaw(activeKey, goodHeader(), claims({ exp: now() - 120 }))],
  ['HS256 signed with the public key', () => signHs256WithPublicKey(goodHeader(), claims())],
  ['alg none', () => unsignedToken(goodHeader(), claims())],
  ['typ JWT', () => signRaw(activeKey, { typ: 'JWT', kid: activeKey.kid }, claims())],
  ['no typ', () => signRaw(activeKey, { kid: activeKey.kid }, claims())],
  ['a wrong issuer', () => signRaw(activeKey, goodHeader(), claims({ iss: 'https://evil' }))],
  ['no exp', () => signRaw(activeKey, goodHeader(), without('exp'))],
  ['no iat', () => signRaw(activeKey, goodHeader(), without('iat'))],
  ['no sub', () => signRaw(activeKey, goodHeader(), without('sub'))],
  ['no jti', () => signRaw(activeKey, goodHeader(), without('jti'))],
  ['aud as an array', () => signRaw(activeKey, goodHeader(), claims({ aud: [app.clientId] }))],
  [
    'aud naming an unknown application',
    () =>
      signRaw(activeKey, goodHeader(), claims({ aud: 'app_unknown', client_id: 'app_unknown' })),
  ],
  [
    'aud naming a disabled application',
    () =>
      signRaw(
        activeKey,
        goodHeader(),
        claims({ aud: disabledApp.clientId, client_id: disabledApp.clientId }),
      ),
  ],
  [
    'client_id differing from aud',
    () => signRaw(activeKey, goodHeader(), claims({ client_id: 'app_x' })),
  ],
  ['an unknown kid', () => signRaw(activeKey, goodHeader('unknown-kid'), claims())],
  ['no kid', () => signRaw(activeKey, { typ: 'at+jwt' }, claims())],
  ['a foreign key reusing our kid', () => signRaw(foreignSigningKey, goodHeader(), claims())],
  ['iat in the future', () => signRaw(activeKey, goodHeader(), claims({ iat: now() + 3600 }))],
  ['a stale grant generation', () => signRaw(activeKey, goodHeader(), claims({ gen: gen - 1 }))],
  ['a sub naming no grant', () => signRaw(activeKey, goodHeader(), claims({ sub: 'usr_nobody' }))],
  [
    'a tampered payload',
    () => {
      const [header, , signature] = valid.split('.');
      const payload = b64url(JSON.stringify(claims({ sub: 'usr_someone_else' })));
      return `${header}.${payload}.${signature}`;
    },
  ],
  ['a truncated signature', () => valid.slice(0, -10)],
  ['garbage', () => 'not-a-jwt'],
  ['two segments', () => valid.split('.').slice(0, 2).join('.')],
];

const endpoints = [
  ['GET', '/api/v1/activities'],
  ['GET', '/api/v1/profile'],
  ['PUT', '/api/v1/profile/app-metadata'],
] as const;

describe('bad tokens', () => {
  it.each(cases)('refuses %s with 401 invalid_token', async (_name, make) => {
    const token = await make();
    for (const [method, path] of endpoints) {
      const res = await call(path, {
        method,
        token,
        json: method === 'PUT' ? { a: 1 } : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await res.json()).toStrictEqual(apiError('invalid_token'));
      expect(res.headers.get('WWW-Authenticate')).toMatch(
        /^Bearer realm="appmeta", error="invalid_token"/,
      );
    }
  });

  it('accepts the same claims correctly signed (the table is not vacuous)', async () => {
    const token = await signRaw(activeKey, goodHeader(), claims());
    expect((await call('/api/v1/activities', { token })).status).toBe(200);
  });
});

describe('the Authorization header', () => {
  it('answers a request without credentials 401 with a bare Bearer challenge', async () => {
    const res = await call('/api/v1/activities');
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('unauthorized', { hint: expect.any(String) }));
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="appmeta"');
  });

  it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])(
    'accepts the scheme spelled %s',
    async (scheme) => {
      const res = await call('/api/v1/activities', {
        headers: { Authorization: `${scheme} ${valid}` },
      });
      expect(res.status).toBe(200);
    },
  );

  it.each([
    ['Basic', () => `Basic ${btoa('a:b')}`],
    ['Token', () => `Token ${valid}`],
    ['MAC', () => `MAC ${valid}`],
    ['no scheme', () => valid],
    ['an empty Bearer', () => 'Bearer '],
    ['two tokens', () => `Bearer ${valid} ${valid}`],
    ['an oversized token', () => `Bearer ${'a'.repeat(9000)}`],
  ])('refuses %s with 401 invalid_token', async (_name, header) => {
    const res = await call('/api/v1/activities', { headers: { Authorization: header() } });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('invalid_token'));
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });
});
