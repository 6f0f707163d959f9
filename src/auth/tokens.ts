/**
 * Access-token signing and verification (RFC 9068 JWT profile, RFC 8725 best practice).
 * Keys come from the SIGNING_KEYS JWKS: the first private key signs, every key verifies, so
 * keys rotate without failed validations. Nothing here reads the clock: `now` is passed in.
 */
import {
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
  createLocalJWKSet,
  errors as joseErrors,
  importJWK,
  jwtVerify,
} from 'jose';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../config';
import { isId, newId } from '../ids';
import type { TokenPrincipal } from './principal';
import {
  ACCOUNT_SCOPE,
  type KeyScope,
  type Scope,
  formatScopes,
  parseKeyScopeString,
} from './scopes';

export const ACCESS_TOKEN_TYP = 'at+jwt';
const ALGORITHM = 'ES256';
/** Private JWK members stripped before publishing (RFC 7518 §6.2.2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export interface KeySet {
  /** The key that signs, with its kid. */
  signing: { kid: string; key: CryptoKey };
  /** Public JWKS served at /.well-known/jwks.json. */
  publicJwks: { keys: JWK[] };
  /** Resolves a token header to a verification key; an unknown kid fails. */
  resolve: JWTVerifyGetKey;
}

let cached: { source: string; keySet: Promise<KeySet> } | undefined;

/** Parses and imports SIGNING_KEYS once per isolate (re-imports if the secret changes). */
export function loadKeySet(source: string): Promise<KeySet> {
  if (cached?.source !== source) {
    const keySet = importKeySet(source);
    cached = { source, keySet };
    keySet.catch(() => {
      if (cached?.keySet === keySet) cached = undefined;
    });
  }
  return cached.keySet;
}

async function importKeySet(source: string): Promise<KeySet> {
  let parsed: { keys?: unknown };
  try {
    parsed = JSON.parse(source) as { keys?: unknown };
  } catch {
    // Not the SyntaxError itself: V8 quotes the start of the input, i.e. of the secret.
    throw new Error('SIGNING_KEYS is not valid JSON');
  }
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw new Error('SIGNING_KEYS must be a JWKS with at least one key');
  }
  const jwks = parsed.keys as JWK[];
  for (const jwk of jwks) {
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string' || !jwk.d) {
      throw new Error('SIGNING_KEYS entries must be private P-256 JWKs with a kid');
    }
  }
  const first = jwks[0] as JWK & { kid: string };
  const key = (await importJWK({ ...first, alg: ALGORITHM }, ALGORITHM)) as CryptoKey;
  const publicKeys = jwks.map((jwk) => toPublicJwk(jwk));
  const localSet = createLocalJWKSet({ keys: publicKeys });
  return {
    signing: { kid: first.kid, key },
    publicJwks: { keys: publicKeys },
    // RFC 8725 §3.1: never trust keys a token names (jku/x5u/jwk); a kid is required and
    // must be one of ours.
    resolve: (header, token) => {
      if (typeof header.kid !== 'string') throw new joseErrors.JWKSNoMatchingKey();
      return localSet(header, token);
    },
  };
}

function toPublicJwk(jwk: JWK): JWK {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(jwk)) {
    if (!(PRIVATE_MEMBERS as readonly string[]).includes(name)) copy[name] = value;
  }
  return { ...(copy as JWK), alg: ALGORITHM, use: 'sig' };
}

export interface AppTokenInput {
  issuer: string;
  userId: string;
  clientId: string;
  scopes: Iterable<Scope>;
  gen: number;
  now: number;
  ttlSeconds?: number;
}

export interface SignedToken {
  token: string;
  jti: string;
  expiresAt: number;
}

/** Signs an app access token: RFC 9068 §2.2 claims plus `gen`, the grant generation. */
export async function signAppAccessToken(keys: KeySet, input: AppTokenInput): Promise<SignedToken> {
  const ttl = input.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  return sign(keys, input.now, ttl, {
    iss: input.issuer,
    sub: input.userId,
    aud: input.clientId,
    client_id: input.clientId,
    scope: formatScopes(input.scopes),
    gen: input.gen,
  });
}

export interface PersonalKeyInput {
  issuer: string;
  userId: string;
  keyId: string;
  scopes: Iterable<KeyScope>;
  now: number;
  expiresAt: number;
}

/** Signs a personal API key: an access token that names no application (no `aud`). */
export async function signPersonalKey(keys: KeySet, input: PersonalKeyInput): Promise<SignedToken> {
  return sign(
    keys,
    input.now,
    input.expiresAt - input.now,
    { iss: input.issuer, sub: input.userId, scope: formatScopes(input.scopes) },
    input.keyId,
  );
}

async function sign(
  keys: KeySet,
  now: number,
  ttlSeconds: number,
  claims: JWTPayload,
  jti: string = newId('at'),
): Promise<SignedToken> {
  const expiresAt = now + ttlSeconds;
  const token = await new SignJWT({ ...claims, jti })
    .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYP, kid: keys.signing.kid })
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(keys.signing.key);
  return { token, jti, expiresAt };
}

/** Why a token was refused; logged, never sent (the wire says `invalid_token`). */
export type TokenFailure = { ok: false; reason: string };

/**
 * Verifies an access token with everything pinned (security.md "Tokens"): ES256 only, our
 * issuer, `typ: at+jwt`, required exp/iat/sub/jti, bounded clock tolerance, and an `aud` that
 * is absent (personal key) or one string equal to `client_id` (app token). Whether the grant,
 * key or application is still active is checked by storage together with the data it reads.
 */
export async function verifyAccessToken(
  keys: KeySet,
  token: string,
  issuer: string,
  now: number,
): Promise<{ ok: true; principal: TokenPrincipal } | TokenFailure> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys.resolve, {
      algorithms: [ALGORITHM],
      issuer,
      typ: ACCESS_TOKEN_TYP,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.name : 'verify failed' };
  }
  return principalFromClaims(payload, now);
}

function principalFromClaims(
  payload: JWTPayload,
  now: number,
): { ok: true; principal: TokenPrincipal } | TokenFailure {
  const { sub, jti, iat, aud } = payload;
  if (typeof sub !== 'string' || !isId(sub)) return { ok: false, reason: 'bad sub' };
  if (typeof jti !== 'string' || !isId(jti)) return { ok: false, reason: 'bad jti' };
  if (typeof iat !== 'number' || iat > now + CLOCK_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'iat in the future' };
  }
  const scopes = typeof payload.scope === 'string' ? parseKeyScopeString(payload.scope) : null;
  if (scopes === null) return { ok: false, reason: 'bad scope' };
  if (aud === undefined) {
    if (payload.client_id !== undefined) return { ok: false, reason: 'client_id without aud' };
    return {
      ok: true,
      principal: { kind: 'personal', userId: sub, keyId: jti, scopes: new Set(scopes) },
    };
  }
  // jose accepts an aud array when any member matches; RFC 9068 tokens here name exactly one
  // application, so anything but a single string is refused.
  if (typeof aud !== 'string' || !isId(aud)) return { ok: false, reason: 'aud not a single id' };
  if (payload.client_id !== aud) return { ok: false, reason: 'client_id differs from aud' };
  // spec §11: `account` exists only for personal keys.
  if (scopes.includes(ACCOUNT_SCOPE)) return { ok: false, reason: 'account scope on an app token' };
  const gen = payload.gen;
  if (typeof gen !== 'number' || !Number.isSafeInteger(gen))
    return { ok: false, reason: 'bad gen' };
  return {
    ok: true,
    principal: {
      kind: 'app',
      userId: sub,
      clientId: aud,
      scopes: new Set(scopes as Scope[]),
      jti,
      gen,
    },
  };
}
