/**
 * Factories with unique ids per call (storage is shared by every test in a file), and token
 * minting through the project's own signing module: the Worker cannot tell these tokens from
 * ones the authorization server issues.
 */
import { env } from 'cloudflare:workers';
import type { RateLimitTier } from '../../src/auth/rate-limit-tier';
import type { KeyScope, Scope } from '../../src/auth/scopes';
import { loadKeySet, signAppAccessToken, signPersonalKey } from '../../src/auth/tokens';
import { newId, sha256 } from '../../src/ids';
import { Database } from '../../src/storage/db';
import { upsertGrant } from '../../src/storage/grants';
import { ALL_KEY_SCOPES, ALL_SCOPES } from './scopes';
import { call } from './worker';

export const ISSUER = 'http://localhost';
const db = () => new Database(env.DB);
const nowSeconds = () => Math.floor(Date.now() / 1000);
let sequence = 0;

export interface TestUser {
  id: string;
  email: string;
}

export async function createUser(
  overrides: { firstName?: string; lastName?: string } = {},
): Promise<TestUser> {
  sequence += 1;
  const id = newId('usr');
  const email = `user-${sequence}-${id.slice(-6)}@example.test`;
  await env.DB.prepare(
    `INSERT INTO users (id, email, password_hash, first_name, last_name, created_at) VALUES (?, ?, NULL, ?, ?, ?)`,
  )
    .bind(id, email, overrides.firstName ?? 'Ada', overrides.lastName ?? 'Runner', nowSeconds())
    .run();
  return { id, email };
}

export interface TestApp {
  clientId: string;
  secret: string;
}

export async function createApp(
  options: { scopes?: Scope[]; confidential?: boolean; rateLimitTier?: RateLimitTier } = {},
): Promise<TestApp> {
  if (options.rateLimitTier !== undefined) return createAppWithTier(options, options.rateLimitTier);
  const clientId = newId('app');
  const secret = `secret-${clientId}`;
  await env.DB.prepare(
    `INSERT INTO applications (client_id, name, redirect_uris, confidential, scopes, secret_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      clientId,
      `Test app ${clientId.slice(-4)}`,
      JSON.stringify(['https://app.example.test/callback']),
      options.confidential === false ? 0 : 1,
      JSON.stringify(options.scopes ?? ALL_SCOPES),
      await sha256(secret),
      nowSeconds(),
    )
    .run();
  return { clientId, secret };
}

/**
 * An application created through the admin API, as an operator would (spec §15): the API
 * stores the tier and publishes it to the rate limiter's KV key.
 */
async function createAppWithTier(
  options: { scopes?: Scope[]; confidential?: boolean },
  tier: RateLimitTier,
): Promise<TestApp> {
  const response = await call('/api/v1/admin/applications', {
    method: 'POST',
    token: env.ADMIN_TOKEN,
    json: {
      name: `Test app (${tier})`,
      redirect_uris: ['https://app.example.test/callback'],
      confidential: options.confidential !== false,
      scopes: options.scopes ?? ALL_SCOPES,
      rate_limit_tier: tier,
    },
  });
  if (response.status !== 201) throw new Error(`admin create answered ${response.status}`);
  const body = (await response.json()) as { client_id: string; client_secret?: string };
  return { clientId: body.client_id, secret: body.client_secret ?? '' };
}

/** Grants `scopes` to the app for the user and mints an access token under that grant. */
export async function appToken(
  user: TestUser,
  app: TestApp,
  scopes: Scope[] = ALL_SCOPES,
  options: { ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const now = options.now ?? nowSeconds();
  const grant = await upsertGrant(db(), {
    userId: user.id,
    clientId: app.clientId,
    scopes,
    now,
    nowMs: Date.now(),
  });
  if (grant === null) throw new Error(`no grant: application ${app.clientId} is disabled`);
  const keys = await loadKeySet(env.SIGNING_KEYS);
  const { token } = await signAppAccessToken(keys, {
    issuer: ISSUER,
    userId: user.id,
    clientId: app.clientId,
    scopes,
    gen: grant.tokenGen,
    now,
    ttlSeconds: options.ttlSeconds,
  });
  return token;
}

/**
 * Creates a personal API key row and mints its token. `expiresAt` is the row's expiry (null:
 * never, the default); the token's `exp` is it, or an hour from now when the key never expires.
 */
export async function personalKey(
  user: TestUser,
  scopes: KeyScope[] = ALL_KEY_SCOPES,
  options: { expiresAt?: number | null } = {},
): Promise<{ token: string; id: string }> {
  const id = newId('key');
  const now = nowSeconds();
  const expiresAt = options.expiresAt ?? null;
  await env.DB.prepare(
    `INSERT INTO api_keys (id, user_id, name, scopes, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)`,
  )
    .bind(id, user.id, 'test key', JSON.stringify(scopes), now, expiresAt)
    .run();
  const keys = await loadKeySet(env.SIGNING_KEYS);
  const { token } = await signPersonalKey(keys, {
    issuer: ISSUER,
    userId: user.id,
    keyId: id,
    scopes,
    now,
    expiresAt: expiresAt ?? now + 3600,
  });
  return { token, id };
}

/** A user with an app token holding every scope: the common starting point. */
export async function userWithApp(
  scopes: Scope[] = ALL_SCOPES,
  appOptions: { rateLimitTier?: RateLimitTier } = {},
) {
  const user = await createUser();
  const app = await createApp(appOptions);
  const token = await appToken(user, app, scopes);
  return { user, app, token };
}
