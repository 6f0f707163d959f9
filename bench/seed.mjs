/**
 * Keys, tokens and data for the benchmark. Mirrors the project's code without importing it
 * (src/ is TypeScript for workerd): ids as src/ids.ts newId, rows as test/helpers/factories.ts
 * inserts them, tokens with the claims of src/auth/tokens.ts signAppAccessToken.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const ALL_SCOPES = ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'];
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
 * One user of the application `clientId` (created through the admin API by run.mjs), the
 * user's grant (token_gen = Date.now() like upsertGrant) and `activityCount` activities.
 * Returns their ids and a token.
 */
export async function seedData(db, keys, { issuer, clientId, activityCount }) {
  const now = Math.floor(Date.now() / 1000);
  const userId = newId('usr');
  const gen = Date.now();
  await db.batch([
    db
      .prepare(
        `INSERT INTO users (id, email, password_hash, first_name, last_name, created_at) VALUES (?, ?, NULL, ?, ?, ?)`,
      )
      .bind(userId, `bench-${userId.slice(-6)}@example.test`, 'Ada', 'Runner', now),
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

/** Sync-list benchmark data: activities per user, the share carrying the app's document. */
export const SYNC_ACTIVITIES = 10_000;
export const SYNC_TAGS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
export const SYNC_DOCUMENT = { done: true, plan: 'base' };

/**
 * A second user of the bench application with SYNC_ACTIVITIES activities, each carrying all ten
 * SYNC_TAGS (the worst case for a ten-value tag filter), and the application's SYNC_DOCUMENT on
 * every third one. The tag and members indexes are filled with the statements the Worker's
 * writes use (src/storage/entity-indexes.ts). Returns its token and the cursor of page 50.
 */
export async function seedSyncUser(db, keys, { issuer, clientId }) {
  const now = Math.floor(Date.now() / 1000);
  const userId = newId('usr');
  const gen = Date.now();
  const scopes = JSON.stringify(ALL_SCOPES);
  await db.batch([
    db
      .prepare(
        `INSERT INTO users (id, email, password_hash, first_name, last_name, created_at) VALUES (?, ?, NULL, 'Sync', 'Runner', ?)`,
      )
      .bind(userId, `sync-${userId.slice(-6)}@example.test`, now),
    db
      .prepare(
        `INSERT INTO authorizations (user_id, client_id, scopes, token_gen, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(userId, clientId, scopes, gen, now, now),
  ]);
  const ids = Array.from({ length: SYNC_ACTIVITIES }, () => newId('act'));
  const base = Date.UTC(2026, 0, 1) / 1000;
  for (let first = 0; first < ids.length; first += SEED_CHUNK_SIZE) {
    await db
      .prepare(
        `INSERT INTO activities (id, user_id, sport, start, "end", duration, distance, name, description, tags, created_at, updated_at, created_by)
         SELECT value, ?1, 'running', ?2 + key * 3600, ?2 + key * 3600 + 1800, 1800, 5000,
                'Run', '', ?3, ?4, ?4, ?5
           FROM json_each(?6)`,
      )
      .bind(
        userId,
        base + first * 3600,
        JSON.stringify(SYNC_TAGS),
        now,
        clientId,
        JSON.stringify(ids.slice(first, first + SEED_CHUNK_SIZE)),
      )
      .run();
  }
  await db.batch([
    db
      .prepare(
        `INSERT INTO entity_tags (user_id, entity_type, tag, entity_id)
         SELECT e.user_id, 'activities', j.value, e.id FROM activities e, json_each(e.tags) j WHERE e.user_id = ?`,
      )
      .bind(userId),
    db
      .prepare(
        `INSERT INTO app_metadata (user_id, client_id, entity_type, entity_id, document, version, created_at, updated_at)
         SELECT ?1, ?2, 'activities', value, ?3, lower(hex(randomblob(16))), ?4, ?4
           FROM json_each(?5) WHERE key % 3 = 0`,
      )
      .bind(userId, clientId, JSON.stringify(SYNC_DOCUMENT), now, JSON.stringify(ids)),
    db
      .prepare(
        `INSERT INTO app_metadata_members (user_id, client_id, entity_type, entity_id, key, value_type, value)
         SELECT m.user_id, m.client_id, m.entity_type, m.entity_id, j.key,
                CASE j.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number'
                            WHEN 'real' THEN 'number' ELSE j.type END,
                CASE WHEN j.type IN ('text', 'integer', 'real') THEN j.atom END
           FROM app_metadata m, json_each(m.document) j WHERE m.user_id = ?`,
      )
      .bind(userId),
  ]);
  // Newest first: position p is the activity seeded at index N-1-p; page 50 starts after 4,900.
  const last = ids.length - 1 - 49 * 100 + 1;
  const cursor = Buffer.from(JSON.stringify(['t', base + last * 3600, ids[last]])).toString(
    'base64url',
  );
  const token = await mintAppToken(keys, { issuer, userId, clientId, gen });
  return { token, page50Cursor: cursor };
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
