/**
 * Keys, tokens and data for the benchmark. Mirrors the project's code without importing it
 * (src/ is TypeScript for workerd): ids as src/ids.ts newId, rows as test/helpers/factories.ts
 * inserts them, tokens with the claims of src/auth/tokens.ts signAppAccessToken.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const ALL_SCOPES = ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'];
/** Activities inserted per statement when seeding. */
const SEED_CHUNK_SIZE = 5000;

/** `<prefix>_<128 random bits, base64url>` like src/ids.ts newId. */
export function newId(prefix) {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** A fresh ES256 key pair: the private JWK (with kid) for the Worker, the public for the reference. */
export async function generateKeys() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = newId('key');
  return {
    signingKey: privateKey,
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    adminToken: randomBytes(24).toString('base64url'),
  };
}

/** RFC 9068 §2.2 claims plus `gen`, signed like signAppAccessToken (header typ at+jwt, kid). */
export function mintAppToken(keys, { issuer, userId, clientId, gen, ttlSeconds = 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    sub: userId,
    aud: clientId,
    client_id: clientId,
    scope: ALL_SCOPES.join(' '),
    gen,
    jti: newId('at'),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keys.kid })
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(keys.signingKey);
}

/** Applies schema.sql in one batch, split like test/helpers/schema.ts. */
export async function applySchema(db, schemaPath) {
  const statements = (await readFile(schemaPath, 'utf8'))
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
  await db.batch(statements.map((statement) => db.prepare(statement)));
}

/**
 * Inserts activities with the columns test/helpers/factories.ts sampleActivity produces, one
 * statement per chunk: the ids travel as one JSON array bound to json_each (D1 allows at most
 * 100 bound parameters, and a statement per row is slow through Miniflare's proxy).
 */
function insertActivities(db, { ids, userId, firstIndex, now }) {
  const base = Date.UTC(2026, 0, 1) / 1000 + firstIndex * 3600;
  return db
    .prepare(
      `INSERT INTO activities (id, user_id, sport, start, "end", duration, distance, name, description, tags, created_at, updated_at)
       SELECT value, ?1, 'cycling.road', ?2 + key * 3600, ?2 + key * 3600 + 7200, 7200, 60000,
              'Morning ride', 'Easy spin', '["endurance"]', ?3, ?3
         FROM json_each(?4)`,
    )
    .bind(userId, base, now, JSON.stringify(ids));
}

/**
 * One user, one confidential application with every scope, the user's grant (token_gen =
 * Date.now() like upsertGrant) and `activityCount` activities. Returns their ids and a token.
 */
export async function seedData(db, keys, { issuer, activityCount }) {
  const now = Math.floor(Date.now() / 1000);
  const userId = newId('usr');
  const clientId = newId('app');
  const gen = Date.now();
  await db.batch([
    db
      .prepare(
        `INSERT INTO users (id, email, password_hash, first_name, last_name, created_at) VALUES (?, ?, NULL, ?, ?, ?)`,
      )
      .bind(userId, `bench-${userId.slice(-6)}@example.test`, 'Ada', 'Runner', now),
    db
      .prepare(
        `INSERT INTO applications (client_id, name, redirect_uris, confidential, scopes, secret_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        clientId,
        'Bench app',
        '["https://app.example.test/callback"]',
        1,
        JSON.stringify(ALL_SCOPES),
        'unused',
        now,
      ),
    db
      .prepare(
        `INSERT INTO authorizations (user_id, client_id, scopes, token_gen, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(userId, clientId, JSON.stringify(ALL_SCOPES), gen, now, now),
  ]);
  const activityIds = Array.from({ length: activityCount }, () => newId('act'));
  for (let first = 0; first < activityIds.length; first += SEED_CHUNK_SIZE) {
    const slice = activityIds.slice(first, first + SEED_CHUNK_SIZE);
    await insertActivities(db, { ids: slice, userId, firstIndex: first, now }).run();
  }
  const token = await mintAppToken(keys, { issuer, userId, clientId, gen });
  return { userId, clientId, gen, token, activityIds };
}

/**
 * An active webhook endpoint for the application. The consumer never runs in the benchmark,
 * so the secret is never decrypted: what is measured is the write and its queue wake-up.
 */
export async function seedWebhookEndpoint(db, clientId) {
  await db
    .prepare(
      `INSERT INTO webhook_endpoints (id, client_id, url, events, secret_enc, status, created_at)
       VALUES (?, ?, 'https://hooks.example.com/bench', NULL, 'v1.unused.unused', 'active', ?)`,
    )
    .bind(newId('whep'), clientId, Math.floor(Date.now() / 1000))
    .run();
}
