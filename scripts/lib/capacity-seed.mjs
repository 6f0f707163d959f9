/**
 * The sample users of the capacity model (scripts/capacity.mjs): rows shaped like the ones the
 * Worker writes (ids as src/ids.ts, hashes as stored secrets, JSON columns as the API stores
 * them), inserted table by table while D1's own size figure is read before and after.
 */
import { randomBytes } from 'node:crypto';

/** One realistic user: a year of use of the platform by an athlete with two apps. */
export const USER = {
  apps: 2,
  activities: 300,
  traces: 150,
  tests: 6,
  /** Share of the user's activities on which each app keeps a document (~100 bytes). */
  documentShare: 0.3,
  /** v2 key/value entries per app (80-byte values). */
  v2Entries: 25,
  /** Refresh-token rows kept per grant: 8 refreshes a day, each row kept 31 days (identity-purge.ts). */
  refreshRowsPerGrant: 8 * 31,
  /** Rows in the view index (cached_views) at any time: hot views of the last few minutes. */
  indexedViews: 20,
};

const SEED_BATCH_USERS = 20;
const ROWS_PER_STATEMENT = 2000;
const DAY = 86400;
const SCOPES = '["profile","data:read","metadata.read","metadata.write"]';
const DOCUMENT = JSON.stringify({
  plan: 'tempo',
  zones: [2, 3, 4],
  coach: { id: 'c_1', note: 'hold Z3' },
});
const PROFILE_DOCUMENT = JSON.stringify({
  ftp: 285,
  hrMax: 188,
  zones: { hr: [120, 140, 155, 170, 188], power: [160, 215, 255, 300, 345] },
  units: 'metric',
});

export const newId = (prefix) => `${prefix}_${randomBytes(16).toString('base64url')}`;
export const hash = () => randomBytes(32).toString('base64url');

/** One INSERT … SELECT FROM json_each(?) per chunk: the rows travel as one JSON array. */
export function bulk(db, table, rows) {
  const columns = Object.keys(rows[0]);
  const select = columns.map((column) => `value ->> '$.${column}'`).join(', ');
  const quoted = columns.map((column) => `"${column}"`).join(', ');
  return db
    .prepare(`INSERT INTO ${table} (${quoted}) SELECT ${select} FROM json_each(?)`)
    .bind(JSON.stringify(rows));
}

function activityRows(add, user, apps, now) {
  for (let i = 0; i < USER.activities; i += 1) {
    const id = newId('act');
    const start = now - i * DAY;
    add('activities', {
      id,
      user_id: user,
      sport: ['cycling.road', 'running', 'swimming'][i % 3],
      start,
      end: start + 5400,
      duration: 5400,
      distance: 42000.5,
      name: 'Morning ride',
      description: 'Tempo with 3 × 10 min in zone 3',
      tags: '["endurance","tempo"]',
      created_at: now,
      updated_at: now,
    });
    apps.forEach((app, a) => {
      if ((i + a) % Math.round(1 / USER.documentShare) !== 0) return;
      add('app_metadata', {
        user_id: user,
        client_id: app,
        entity_type: 'activities',
        entity_id: id,
        document: DOCUMENT,
        version: hash().slice(0, 22),
        created_at: now,
        updated_at: now,
      });
    });
    if (i >= USER.indexedViews) continue;
    add('cached_views', {
      user_id: user,
      entity_type: 'activities',
      entity_id: id,
      scope: `a.${apps[0]}.1`,
      principal_id: apps[0],
      cached_at: now,
    });
  }
}

function logRows(add, user, now) {
  for (let i = 0; i < USER.traces; i += 1) {
    add('traces', {
      id: newId('trc'),
      user_id: user,
      timestamp: now - i * 7200,
      sport: 'running',
      lactate: 2.1,
      rpe: 6,
      power: 250.5,
      speed: 3.4,
      heart_rate: 152,
      notes: 'felt fine',
      tags: '[]',
      created_at: now,
      updated_at: now,
    });
  }
  for (let i = 0; i < USER.tests; i += 1) {
    add('tests', {
      id: newId('tst'),
      user_id: user,
      sport: 'cycling.road',
      start: now - i * 60 * DAY,
      end: now - i * 60 * DAY + 3600,
      title: 'Ramp test',
      results: '{"ftp":285,"vo2max":61.5}',
      tags: '["lab"]',
      created_at: now,
      updated_at: now,
    });
  }
}

function grantRows(add, user, app, now) {
  add('authorizations', {
    user_id: user,
    client_id: app,
    scopes: SCOPES,
    token_gen: now * 1000,
    created_at: now,
    updated_at: now,
  });
  add('app_metadata', {
    user_id: user,
    client_id: app,
    entity_type: 'profile',
    entity_id: user,
    document: PROFILE_DOCUMENT,
    version: hash().slice(0, 22),
    created_at: now,
    updated_at: now,
  });
  for (let k = 0; k < USER.v2Entries; k += 1) {
    add('metadata_entries', {
      user_id: user,
      client_id: app,
      key: `settings.key${k}`,
      value: `v${k}-${'x'.repeat(76)}`,
      value_bytes: 80,
      expires_at: null,
      created_at: now,
      updated_at: now,
    });
  }
  const family = newId('fam');
  for (let r = 0; r < USER.refreshRowsPerGrant; r += 1) {
    add('refresh_tokens', {
      token_hash: hash(),
      family_id: family,
      client_id: app,
      user_id: user,
      scopes: SCOPES,
      created_at: now,
      expires_at: now + 30 * DAY,
      used_at: r ? now : null,
    });
  }
}

/** The rows of one user, by table. */
export function userRows(user, apps, now) {
  const rows = {};
  const add = (table, row) => (rows[table] ??= []).push(row);
  add('users', {
    id: user,
    email: `${user.slice(-10)}@example.test`,
    password_hash: hash(),
    first_name: 'Ada',
    last_name: 'Runner',
    created_at: now,
  });
  activityRows(add, user, apps, now);
  logRows(add, user, now);
  for (const app of apps) grantRows(add, user, app, now);
  add('api_keys', {
    id: newId('key'),
    user_id: user,
    name: 'My script',
    scopes: '["data:read"]',
    created_at: now,
  });
  return rows;
}

/** D1's own figure for the database size (bytes), as every result's meta reports it. */
export async function sizeOf(db) {
  return (await db.prepare('SELECT 1').run()).meta.size_after;
}

/** Seeds `count` users table by table; returns the bytes each table grew by. */
export async function seedUsers(db, count, apps) {
  const now = Math.floor(Date.now() / 1000);
  const byTable = {};
  for (let first = 0; first < count; first += SEED_BATCH_USERS) {
    const batch = Array.from({ length: Math.min(SEED_BATCH_USERS, count - first) }, () =>
      userRows(newId('usr'), apps, now),
    );
    for (const table of Object.keys(batch[0])) {
      const rows = batch.flatMap((user) => user[table] ?? []);
      const before = await sizeOf(db);
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await bulk(db, table, rows.slice(i, i + ROWS_PER_STATEMENT)).run();
      }
      byTable[table] = (byTable[table] ?? 0) + (await sizeOf(db)) - before;
    }
  }
  return byTable;
}
