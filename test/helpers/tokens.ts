/**
 * Hand-made tokens for the bad-token tables: signed with any key, header and claims, or not
 * signed at all (alg none). The Worker must refuse every variation the tables build here.
 */
import { env } from 'cloudflare:workers';
import { type JWK, type JWTPayload, SignJWT, importJWK } from 'jose';
import { testSigningKeys } from './keys.config';
import type { TestApp, TestUser } from './factories';
import { ISSUER } from './factories';

const encoder = new TextEncoder();

export function b64url(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The active (first) and the rotated-out (second) test signing keys. */
export const activeKey = testSigningKeys.keys[0] as JWK & { kid: string };
export const secondKey = testSigningKeys.keys[1] as JWK & { kid: string };

/** Signs `payload` with an ES256 private JWK under exactly the given protected header. */
export async function signRaw(
  jwk: JWK,
  header: Record<string, unknown>,
  payload: JWTPayload,
): Promise<string> {
  const key = await importJWK({ ...jwk, alg: 'ES256' }, 'ES256');
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', ...header } as { alg: string })
    .sign(key);
}

/** HS256 with the server's public key (JSON) as the HMAC secret: the classic alg confusion. */
export async function signHs256WithPublicKey(header: Record<string, unknown>, payload: JWTPayload) {
  const { d: _d, ...publicJwk } = activeKey;
  const secret = encoder.encode(JSON.stringify(publicJwk));
  return new SignJWT(payload)
    .setProtectedHeader({ ...header, alg: 'HS256' } as { alg: string })
    .sign(secret);
}

/** `alg: none`, empty signature. */
export function unsignedToken(header: Record<string, unknown>, payload: JWTPayload): string {
  return `${b64url(JSON.stringify({ ...header, alg: 'none' }))}.${b64url(JSON.stringify(payload))}.`;
}

/** The grant generation stored for (user, app), as an access token must carry it. */
export async function grantGen(user: TestUser, app: TestApp): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT token_gen FROM authorizations WHERE user_id = ? AND client_id = ?',
  )
    .bind(user.id, app.clientId)
    .first<{ token_gen: number }>();
  if (row === null) throw new Error('no grant: call appToken(user, app) first');
  return row.token_gen;
}

/** Valid RFC 9068 claims for (user, app) at `now`; tables override one member at a time. */
export function appClaims(
  user: TestUser,
  app: TestApp,
  gen: number,
  now = Math.floor(Date.now() / 1000),
): JWTPayload {
  return {
    iss: ISSUER,
    sub: user.id,
    aud: app.clientId,
    client_id: app.clientId,
    scope: 'profile data:read data:write',
    gen,
    iat: now,
    exp: now + 600,
    jti: `at_${crypto.randomUUID().replace(/-/g, '')}`,
  };
}

export const goodHeader = (kid: string = activeKey.kid) => ({ typ: 'at+jwt', kid });
