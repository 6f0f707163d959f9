// Demo data for local development: one user, one confidential application with a webhook
// endpoint on the demo callback page, and a few activities. Written as SQL with fixed ids so that re-running is harmless; hashes use the
// exact formats of src/ids.ts (SHA-256, base64url) and src/auth/password.ts (PBKDF2).
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';

export const DEMO = {
  userId: 'usr_demo',
  email: 'demo@appmeta.test',
  clientId: 'app_demo',
  appName: 'Demo Training Planner',
  scopes: ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'],
  webhookId: 'whep_demo',
};

const PBKDF2_ITERATIONS = 100_000;

function sqlString(value) {
  return `'${String(value).replaceAll("'", "''")}'`;
}

function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 32, 'sha256');
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function sha256(value) {
  return createHash('sha256').update(value).digest('base64url');
}

/** SQL statements that create (or refresh the credentials of) the demo user and application. */
export function seedSql({ password, clientSecret, redirectUris, webhook }) {
  const now = Math.floor(Date.now() / 1000);
  const day = 86_400;
  const activities = [
    ['act_demo_1', 'cycling.road', now - 3 * day, 5400, 42000, 'Tempo ride', ['tempo']],
    ['act_demo_2', 'running.trail', now - 2 * day, 3600, 10500, 'Trail run', ['easy']],
    ['act_demo_3', 'swimming.pool.50m', now - day, 2700, 2500, 'Pool intervals', ['intervals']],
  ];
  return [
    `INSERT INTO users (id, email, password_hash, first_name, last_name, created_at)
     VALUES (${sqlString(DEMO.userId)}, ${sqlString(DEMO.email)}, ${sqlString(hashPassword(password))}, 'Demo', 'Athlete', ${now})
     ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash;`,
    `INSERT INTO applications (client_id, name, redirect_uris, confidential, scopes, secret_hash, created_at)
     VALUES (${sqlString(DEMO.clientId)}, ${sqlString(DEMO.appName)}, ${sqlString(JSON.stringify(redirectUris))}, 1,
             ${sqlString(JSON.stringify(DEMO.scopes))}, ${sqlString(sha256(clientSecret))}, ${now})
     ON CONFLICT (client_id) DO UPDATE SET redirect_uris = excluded.redirect_uris,
       secret_hash = excluded.secret_hash, disabled_at = NULL;`,
    // The demo callback page's webhook endpoint (every event type), active again on each run.
    `INSERT INTO webhook_endpoints (id, client_id, url, events, secret_enc, status, created_at)
     VALUES (${sqlString(DEMO.webhookId)}, ${sqlString(DEMO.clientId)}, ${sqlString(webhook.url)}, NULL,
             ${sqlString(webhook.secretEnc)}, 'active', ${now})
     ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret_enc = excluded.secret_enc,
       previous_secret_enc = NULL, status = 'active', failing_since = NULL;`,
    ...activities.map(
      ([id, sport, start, duration, distance, name, tags]) =>
        `INSERT OR IGNORE INTO activities (id, user_id, sport, start, "end", duration, distance, name, description, tags, created_at, updated_at)
         VALUES (${sqlString(id)}, ${sqlString(DEMO.userId)}, ${sqlString(sport)}, ${start}, ${start + duration}, ${duration},
                 ${distance}, ${sqlString(name)}, '', ${sqlString(JSON.stringify(tags))}, ${now}, ${now});`,
    ),
  ].join('\n');
}
