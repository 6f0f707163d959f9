/** Token signing and verification (src/auth/tokens.ts) with a fixed `now`, rotation included. */
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, type JWTPayload } from 'jose';
import {
  loadKeySet,
  signAppAccessToken,
  signPersonalKey,
  verifyAccessToken,
} from '../../src/auth/tokens';
import { testSigningKeys } from '../helpers/keys.config';
import { activeKey, goodHeader, secondKey, signRaw } from '../helpers/tokens';

const NOW = 1_780_000_000;
const ISS = 'https://appmeta.example';
const keys = () => loadKeySet(JSON.stringify(testSigningKeys));
const appInput = {
  issuer: ISS,
  userId: 'usr_1',
  clientId: 'app_1',
  scopes: ['data:read', 'profile'] as const,
  gen: 1234,
  now: NOW,
};

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISS,
    sub: 'usr_1',
    aud: 'app_1',
    client_id: 'app_1',
    scope: 'data:read',
    gen: 7,
    iat: NOW,
    exp: NOW + 600,
    jti: 'at_1',
    ...overrides,
  };
}

describe('signAppAccessToken', () => {
  it('signs an ES256 at+jwt with the first key and the RFC 9068 claims', async () => {
    const { token, jti, expiresAt } = await signAppAccessToken(await keys(), appInput);
    expect(decodeProtectedHeader(token)).toStrictEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: activeKey.kid,
    });
    expect(expiresAt).toBe(NOW + 3600);
    const result = await verifyAccessToken(await keys(), token, ISS, NOW);
    expect(result).toStrictEqual({
      ok: true,
      principal: {
        kind: 'app',
        userId: 'usr_1',
        clientId: 'app_1',
        scopes: new Set(['profile', 'data:read']),
        jti,
        gen: 1234,
      },
    });
  });

  it('honours a custom lifetime', async () => {
    const { expiresAt } = await signAppAccessToken(await keys(), { ...appInput, ttlSeconds: 60 });
    expect(expiresAt).toBe(NOW + 60);
  });
});

describe('signPersonalKey', () => {
  it('signs a token without aud whose jti is the key id', async () => {
    const { token } = await signPersonalKey(await keys(), {
      issuer: ISS,
      userId: 'usr_1',
      keyId: 'key_1',
      scopes: ['data:read'],
      now: NOW,
      expiresAt: NOW + 100,
    });
    expect(await verifyAccessToken(await keys(), token, ISS, NOW)).toStrictEqual({
      ok: true,
      principal: {
        kind: 'personal',
        userId: 'usr_1',
        keyId: 'key_1',
        scopes: new Set(['data:read']),
      },
    });
  });
});

describe('verifyAccessToken: expiry and clock', () => {
  it('accepts a token until its exp', async () => {
    const { token } = await signAppAccessToken(await keys(), { ...appInput, ttlSeconds: 60 });
    expect((await verifyAccessToken(await keys(), token, ISS, NOW + 59)).ok).toBe(true);
  });

  it('refuses a token past exp beyond the clock tolerance', async () => {
    const { token } = await signAppAccessToken(await keys(), { ...appInput, ttlSeconds: 60 });
    expect((await verifyAccessToken(await keys(), token, ISS, NOW + 60 + 31)).ok).toBe(false);
  });

  it('refuses a token issued in the future beyond the tolerance', async () => {
    const { token } = await signAppAccessToken(await keys(), { ...appInput, now: NOW + 120 });
    expect((await verifyAccessToken(await keys(), token, ISS, NOW)).ok).toBe(false);
  });

  it('refuses a token from another issuer', async () => {
    const { token } = await signAppAccessToken(await keys(), appInput);
    expect((await verifyAccessToken(await keys(), token, 'https://other.example', NOW)).ok).toBe(
      false,
    );
  });
});

describe('verifyAccessToken: key rotation', () => {
  it('still verifies a token signed by the second (rotated-out) key', async () => {
    const token = await signRaw(secondKey, goodHeader(secondKey.kid), claims());
    expect((await verifyAccessToken(await keys(), token, ISS, NOW)).ok).toBe(true);
  });

  it('verifies tokens of the new active key after the order is swapped', async () => {
    const rotated = JSON.stringify({ keys: [testSigningKeys.keys[1], testSigningKeys.keys[0]] });
    const rotatedKeys = await loadKeySet(rotated);
    expect(rotatedKeys.signing.kid).toBe(secondKey.kid);
    const { token } = await signAppAccessToken(rotatedKeys, appInput);
    expect(decodeProtectedHeader(token).kid).toBe(secondKey.kid);
    expect((await verifyAccessToken(await keys(), token, ISS, NOW)).ok).toBe(true);
  });

  it('refuses a token signed by the second key but naming the first kid', async () => {
    const token = await signRaw(secondKey, goodHeader(activeKey.kid), claims());
    expect((await verifyAccessToken(await keys(), token, ISS, NOW)).ok).toBe(false);
  });

  it('publishes both keys without private members', async () => {
    const { publicJwks } = await keys();
    expect(publicJwks.keys.map((key) => key.kid)).toStrictEqual([activeKey.kid, secondKey.kid]);
    for (const key of publicJwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('refuses a key set without private keys', async () => {
    const { d: _d, ...publicOnly } = activeKey;
    await expect(loadKeySet(JSON.stringify({ keys: [publicOnly] }))).rejects.toThrow();
  });

  // The error reaches the unhandled-error log line: it must not quote the secret (V8's
  // JSON.parse messages include a slice of the input).
  it.each([
    ['malformed JSON', '{"keys":[{"d":"PRIVATE-d-VALUE-SHOULD-NOT-LEAK",'],
    ['a bare secret instead of JSON', 'PRIVATE-d-VALUE-SHOULD-NOT-LEAK'],
    [
      'a non-JWK entry',
      '{"keys":[{"kty":"EC","crv":"P-256","kid":"k","d":"PRIVATE-d-VALUE-SHOULD-NOT-LEAK"}]}',
    ],
  ])('refuses %s without quoting the secret in the error', async (_name, source) => {
    const error = await loadKeySet(source).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain('PRIVATE');
  });
});

describe('verifyAccessToken: claims', () => {
  it.each<[string, JWTPayload]>([
    ['aud as an array', claims({ aud: ['app_1'] })],
    ['client_id differing from aud', claims({ client_id: 'app_2' })],
    ['client_id without aud', claims({ aud: undefined })],
    ['a missing gen', claims({ gen: undefined })],
    ['a fractional gen', claims({ gen: 1.5 })],
    ['an unknown scope', claims({ scope: 'data:read admin' })],
    ['a non-string scope', claims({ scope: ['data:read'] as unknown as string })],
    ['a missing scope', claims({ scope: undefined })],
    ['a sub that is not an id', claims({ sub: 'usr/../x' })],
    ['a missing sub', claims({ sub: undefined })],
    ['a missing jti', claims({ jti: undefined })],
    ['a missing exp', claims({ exp: undefined })],
    ['a missing iat', claims({ iat: undefined })],
    ['an nbf in the future', claims({ nbf: NOW + 3600 })],
  ])('refuses %s', async (_name, payload) => {
    const token = await signRaw(activeKey, goodHeader(), payload);
    expect((await verifyAccessToken(await keys(), token, ISS, NOW)).ok).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['typ JWT', { typ: 'JWT', kid: activeKey.kid }],
    ['no typ', { kid: activeKey.kid }],
    ['no kid', { typ: 'at+jwt' }],
    ['an unknown kid', { typ: 'at+jwt', kid: 'nope' }],
    ['an embedded jwk', { typ: 'at+jwt', kid: 'nope', jwk: { kty: 'EC' } }],
  ])('refuses a header with %s', async (_name, header) => {
    const token = await signRaw(activeKey, header, claims());
    expect((await verifyAccessToken(await keys(), token, ISS, NOW)).ok).toBe(false);
  });
});
