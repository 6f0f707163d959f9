/** The memo of verified access tokens (src/auth/token-memo.ts) with a fixed `now`. */
import { describe, expect, it } from 'vitest';
import { type JWTPayload } from 'jose';
import type { TokenPrincipal } from '../../src/auth/principal';
import { VerifiedTokenMemo, tokenDigest } from '../../src/auth/token-memo';
import { loadKeySet, verifyAccessToken } from '../../src/auth/tokens';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/config';
import { testSigningKeys } from '../helpers/keys.config';
import { activeKey, goodHeader, signRaw } from '../helpers/tokens';

const NOW = 1_780_000_000;
const ISS = 'https://appmeta.example';

function principal(userId: string): TokenPrincipal {
  return { kind: 'personal', userId, keyId: `key_${userId}`, scopes: new Set(['data:read']) };
}

describe('VerifiedTokenMemo: bound', () => {
  it('never holds more than its entry cap, evicting the least recently used', () => {
    const memo = new VerifiedTokenMemo(3);
    for (const name of ['a', 'b', 'c']) memo.remember(name, ISS, principal(name), NOW + 60, NOW);
    expect(memo.get('a', ISS, NOW)).toStrictEqual(principal('a'));
    memo.remember('d', ISS, principal('d'), NOW + 60, NOW);
    expect(memo.size).toBe(3);
    expect(memo.get('b', ISS, NOW)).toBeNull();
    expect(memo.get('a', ISS, NOW)).toStrictEqual(principal('a'));
    expect(memo.get('c', ISS, NOW)).toStrictEqual(principal('c'));
    expect(memo.get('d', ISS, NOW)).toStrictEqual(principal('d'));
  });

  it('stays at the cap when thousands of distinct tokens pass through', () => {
    const memo = new VerifiedTokenMemo(100);
    for (let i = 0; i < 5000; i += 1) memo.remember(`t${i}`, ISS, principal('u'), NOW + 60, NOW);
    expect(memo.size).toBe(100);
    expect(memo.get('t4899', ISS, NOW)).toBeNull();
    expect(memo.get('t4900', ISS, NOW)).toStrictEqual(principal('u'));
  });
});

describe('VerifiedTokenMemo: expiry and clock', () => {
  it('answers until exp plus the clock tolerance, exactly as verification does', () => {
    const memo = new VerifiedTokenMemo();
    memo.remember('t', ISS, principal('u'), NOW + 60, NOW);
    const last = NOW + 60 + CLOCK_TOLERANCE_SECONDS - 1;
    expect(memo.get('t', ISS, last)).toStrictEqual(principal('u'));
    expect(memo.get('t', ISS, last + 1)).toBeNull();
  });

  it('forgets an expired entry, so an earlier clock does not revive it', () => {
    const memo = new VerifiedTokenMemo();
    memo.remember('t', ISS, principal('u'), NOW + 10, NOW);
    expect(memo.get('t', ISS, NOW + 10 + CLOCK_TOLERANCE_SECONDS)).toBeNull();
    expect(memo.size).toBe(0);
    expect(memo.get('t', ISS, NOW)).toBeNull();
  });

  it('does not answer for a clock earlier than the verification (iat, nbf)', () => {
    const memo = new VerifiedTokenMemo();
    memo.remember('t', ISS, principal('u'), NOW + 60, NOW);
    expect(memo.get('t', ISS, NOW - 1)).toBeNull();
    expect(memo.get('t', ISS, NOW)).toStrictEqual(principal('u'));
  });

  it('does not answer for another issuer', () => {
    const memo = new VerifiedTokenMemo();
    memo.remember('t', ISS, principal('u'), NOW + 60, NOW);
    expect(memo.get('t', 'https://other.example', NOW)).toBeNull();
  });
});

describe('tokenDigest', () => {
  it('is 16 UTF-16 units that differ when any character of the token does', async () => {
    const a = await tokenDigest('header.payload.signature');
    const b = await tokenDigest('header.payload.signaturf');
    expect(a).toHaveLength(16);
    expect(a).not.toBe(b);
    expect(await tokenDigest('header.payload.signature')).toBe(a);
  });
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISS,
    sub: 'usr_memo',
    scope: 'data:read',
    iat: NOW,
    exp: NOW + 60,
    jti: `key_${crypto.randomUUID().slice(0, 8)}`,
    ...overrides,
  };
}

describe('verifyAccessToken with the memo', () => {
  it('remembers a verified token and answers the same principal until it expires', async () => {
    const keys = await loadKeySet(JSON.stringify(testSigningKeys));
    const token = await signRaw(activeKey, goodHeader(), claims());
    const first = await verifyAccessToken(keys, token, ISS, NOW);
    expect(first.ok).toBe(true);
    const digest = await tokenDigest(token);
    expect(keys.verified.get(digest, ISS, NOW)).not.toBeNull();
    expect(await verifyAccessToken(keys, token, ISS, NOW + 1)).toStrictEqual(first);
    const late = NOW + 60 + CLOCK_TOLERANCE_SECONDS;
    expect(await verifyAccessToken(keys, token, ISS, late)).toStrictEqual({
      ok: false,
      reason: 'JWTExpired',
    });
  });

  it('never remembers a token that failed, and a tampered copy of a remembered one fails', async () => {
    const keys = await loadKeySet(JSON.stringify(testSigningKeys));
    const token = await signRaw(activeKey, goodHeader(), claims());
    expect((await verifyAccessToken(keys, token, ISS, NOW)).ok).toBe(true);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // A middle character: the last one of a base64url signature also carries unused bits, so
    // changing it may decode to the same bytes.
    const middle = signature.length >> 1;
    const flipped = signature[middle] === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
    expect((await verifyAccessToken(keys, tampered, ISS, NOW)).ok).toBe(false);
    expect(keys.verified.get(await tokenDigest(tampered), ISS, NOW)).toBeNull();
    const other = await verifyAccessToken(keys, token, 'https://other.example', NOW);
    expect(other).toStrictEqual({ ok: false, reason: 'JWTClaimValidationFailed' });
  });
});
