/**
 * `npm run capacity -- [--users N] [--sample S]`: the capacity model of docs/scaling.md.
 *
 * Seeds S realistic users (entities, app documents, v2 entries, grants, refresh tokens, API
 * keys, view-index rows; see USER below) into a local D1 (Miniflare, schema.sql), measures the
 * bytes they take from the database itself (D1's `meta.size_after`, the size D1 bills), and
 * prints for 1 M, 10 M and 100 M users (and N, if given): D1 databases needed at 10 GB each,
 * D1 queries, KV reads and writes per second and Queue messages at the stated request mix,
 * and the monthly cost at the prices of docs/scaling.md. Local only; nothing is deployed.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Miniflare } from 'miniflare';
import { applySchema } from '../bench/seed.mjs';
import {
  D1_DATABASE_MAX_GB,
  D1_QUERIES_PER_SECOND_PER_DATABASE,
  PRICES,
  costFor,
  loadFor,
} from './lib/capacity-model.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One realistic user (a year of use of the platform by an athlete with two apps). */
export const USER = {
  apps: 2,
  activities: 300,
  traces: 150,
  tests: 6,
  /** Share of the user's activities on which each app keeps a document (~150 bytes). */
  documentShare: 0.3,
  /** v2 key/value entries per app (~80-byte values). */
  v2Entries: 25,
  /** Refresh-token rows kept per grant: one per refresh, kept 31 days (identity-purge.ts). */
  refreshRowsPerGrant: 8 * 31,
  /** Rows in the view index (cached_views) at any time: hot views of the last few minutes. */
  indexedViews: 20,
};

const SEED_BATCH_USERS = 20;

const newId = (prefix) => `${prefix}_${randomBytes(16).toString('base64url')}`;
const hash = () => randomBytes(32).toString('base64url');
const pick = (list, index) => list[index % list.length];

function options() {
  const { values } = parseArgs({
    options: { users: { type: 'string' }, sample: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log('npm run capacity -- [--users N] [--sample S (users seeded, default 100)]');
    process.exit(0);
  }
  const sample = Number(values.sample ?? 100);
  const users = values.users === undefined ? null : Number(values.users);
  if (!Number.isInteger(sample) || sample < 10) throw new Error('--sample must be ≥ 10');
  if (users !== null && (!Number.isInteger(users) || users < 1)) throw new Error('bad --users');
  return { sample, users };
}

/** One INSERT … SELECT FROM json_each(?) per table: rows travel as one JSON array. */
function bulk(db, table, columns, rows) {
  const select = columns.map((_, index) => `value ->> '$[${index}]'`).join(', ');
  const quoted = columns.map((column) => `"${column}"`).join(', ');
  return db
    .prepare(`INSERT INTO ${table} (${quoted}) SELECT ${select} FROM json_each(?)`)
    .bind(JSON.stringify(rows));
}

const DOCUMENT = JSON.stringify({
  plan: 'tempo',
  zones: [2, 3, 4],
  coach: { id: 'c_1', note: 'steady, hold Z3' },
});
const PROFILE_DOCUMENT = JSON.stringify({
  ftp: 285,
  hrMax: 188,
  zones: { hr: [120, 140, 155, 170, 188], power: [160, 215, 255, 300, 345] },
  units: 'metric',
});

/** The rows of one user, by table (columns in the order of `COLUMNS`). */
function userRows(user, apps, now) {
  const rows = { users: [[user, `${user.slice(-10)}@example.test`, hash(), 'Ada', 'Runner', now]] };
  const add = (table, row) => (rows[table] ??= []).push(row);
  const day = 86400;
  for (let i = 0; i < USER.activities; i += 1) {
    const start = now - i * day;
    const id = newId('act');
    add('activities', [
      id,
      user,
      pick(['cycling.road', 'running', 'swimming'], i),
      start,
      start + 5400,
      5400,
      42000.5,
      'Morning ride',
      'Tempo with 3 × 10 min in zone 3',
      '["endurance","tempo"]',
      now,
      now,
    ]);
    apps.forEach((app, a) => {
      if ((i + a) % Math.round(1 / USER.documentShare) === 0) {
        add('app_metadata', [user, app, 'activities', id, DOCUMENT, hash().slice(0, 22), now, now]);
      }
    });
    if (i < USER.indexedViews)
      add('cached_views', [user, 'activities', id, `a.${apps[0]}.1`, apps[0], now]);
  }
  for (let i = 0; i < USER.traces; i += 1) {
    add('traces', [
      newId('trc'),
      user,
      now - i * 7200,
      'running',
      2.1,
      6,
      250.5,
      3.4,
      152,
      'felt fine',
      '[]',
      now,
      now,
    ]);
  }
  for (let i = 0; i < USER.tests; i += 1) {
    add('tests', [
      newId('tst'),
      user,
      'cycling.road',
      now - i * 60 * day,
      now - i * 60 * day + 3600,
      'Ramp test',
      '{"ftp":285,"vo2max":61.5}',
      '["lab"]',
      now,
      now,
    ]);
  }
  apps.forEach((app) => {
    add('authorizations', [
      user,
      app,
      '["profile","data:read","metadata.read","metadata.write"]',
      now * 1000,
      now,
      now,
    ]);
    add('app_metadata', [
      user,
      app,
      'profile',
      user,
      PROFILE_DOCUMENT,
      hash().slice(0, 22),
      now,
      now,
    ]);
    for (let k = 0; k < USER.v2Entries; k += 1) {
      add('metadata_entries', [
        user,
        app,
        `settings.key${k}`,
        `value-${k}-${'x'.repeat(70)}`,
        80,
        null,
        now,
        now,
      ]);
    }
    const family = newId('fam');
    for (let r = 0; r < USER.refreshRowsPerGrant; r += 1) {
      add('refresh_tokens', [
        hash(),
        family,
        app,
        user,
        '["profile","data:read"]',
        now,
        now + 30 * day,
        r ? now : null,
        null,
        null,
      ]);
    }
  });
  add('api_keys', [newId('key'), user, 'My script', '["data:read"]', now, null, null]);
  return rows;
}

const COLUMNS = {
  users: ['id', 'email', 'password_hash', 'first_name', 'last_name', 'created_at'],
  activities: [
    'id',
    'user_id',
    'sport',
    'start',
    'end',
    'duration',
    'distance',
    'name',
    'description',
    'tags',
    'created_at',
    'updated_at',
  ],
  traces: [
    'id',
    'user_id',
    'timestamp',
    'sport',
    'lactate',
    'rpe',
    'power',
    'speed',
    'heart_rate',
    'notes',
    'tags',
    'created_at',
    'updated_at',
  ],
  tests: [
    'id',
    'user_id',
    'sport',
    'start',
    'end',
    'title',
    'results',
    'tags',
    'created_at',
    'updated_at',
  ],
  authorizations: ['user_id', 'client_id', 'scopes', 'token_gen', 'created_at', 'updated_at'],
  app_metadata: [
    'user_id',
    'client_id',
    'entity_type',
    'entity_id',
    'document',
    'version',
    'created_at',
    'updated_at',
  ],
  metadata_entries: [
    'user_id',
    'client_id',
    'key',
    'value',
    'value_bytes',
    'expires_at',
    'created_at',
    'updated_at',
  ],
  refresh_tokens: [
    'token_hash',
    'family_id',
    'client_id',
    'user_id',
    'scopes',
    'created_at',
    'expires_at',
    'used_at',
    'replaced_by',
    'revoked_at',
  ],
  api_keys: ['id', 'user_id', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at'],
  cached_views: ['user_id', 'entity_type', 'entity_id', 'scope', 'principal_id', 'cached_at'],
};

/** D1's own figure for the database size (bytes), as every result's meta reports it. */
async function sizeOf(db) {
  return (await db.prepare('SELECT 1').run()).meta.size_after;
}

/** Seeds `count` users table by table; returns the bytes each table grew by. */
async function seedUsers(db, count, apps) {
  const now = Math.floor(Date.now() / 1000);
  const byTable = Object.fromEntries(Object.keys(COLUMNS).map((table) => [table, 0]));
  for (let first = 0; first < count; first += SEED_BATCH_USERS) {
    const batch = Array.from({ length: Math.min(SEED_BATCH_USERS, count - first) }, () =>
      userRows(newId('usr'), apps, now),
    );
    for (const table of Object.keys(COLUMNS)) {
      const rows = batch.flatMap((user) => user[table] ?? []);
      const before = await sizeOf(db);
      for (let i = 0; i < rows.length; i += 2000) {
        await bulk(db, table, COLUMNS[table], rows.slice(i, i + 2000)).run();
      }
      byTable[table] += (await sizeOf(db)) - before;
    }
  }
  return byTable;
}

function formatTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const { sample, users } = options();
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 204 }); } }',
    d1Databases: { DB: 'capacity' },
    compatibilityDate: '2026-04-20',
  });
  try {
    await mf.ready;
    const db = await mf.getD1Database('DB');
    await applySchema(db, path.join(ROOT, 'schema.sql'));
    const apps = Array.from({ length: USER.apps }, () => newId('app'));
    await bulk(
      db,
      'applications',
      ['client_id', 'name', 'redirect_uris', 'confidential', 'scopes', 'secret_hash', 'created_at'],
      apps.map((app) => [
        app,
        'Coach app',
        '["https://coach.example/cb"]',
        1,
        '["profile","data:read","metadata.read","metadata.write"]',
        hash(),
        0,
      ]),
    ).run();
    const empty = await sizeOf(db);
    const started = Date.now();
    const byTable = await seedUsers(db, sample, apps);
    const total = (await sizeOf(db)) - empty;
    const perUser = total / sample;
    console.log(
      `seeded ${sample} users in ${Date.now() - started} ms; profile per user: ${JSON.stringify(USER)}`,
    );
    console.log(
      `database grew ${fmt(total)} bytes (D1 meta.size_after): ${fmt(perUser)} bytes per user\n`,
    );
    console.log(
      formatTable(
        ['table', 'bytes per user', 'share'],
        Object.entries(byTable)
          .sort((a, b) => b[1] - a[1])
          .map(([table, bytes]) => [
            table,
            fmt(bytes / sample),
            `${fmt((100 * bytes) / total, 1)} %`,
          ]),
      ),
    );
    const populations = [
      1e6,
      1e7,
      1e8,
      ...(users && ![1e6, 1e7, 1e8].includes(users) ? [users] : []),
    ];
    const rows = populations
      .sort((a, b) => a - b)
      .map((n) => {
        const load = loadFor(n, perUser);
        const cost = costFor(load);
        return [
          fmt(n),
          fmt(load.storageGb, 1),
          fmt(load.databases),
          fmt(load.d1QueriesPerSecond),
          fmt(load.d1QueriesPerDatabase, 1),
          fmt(load.kvReadsPerSecond),
          fmt(load.kvWritesPerSecond),
          fmt(load.queueMessagesPerMonth / 1e6, 1),
          `$${fmt(cost.total)}`,
        ];
      });
    console.log(
      `\n${formatTable(['users', 'D1 GB', 'D1 DBs (10 GB)', 'D1 q/s', 'q/s per DB', 'KV reads/s', 'KV writes/s', 'Queue msgs M/mo', 'cost $/month'], rows)}`,
    );
    console.log(
      `\nrequest mix and prices: docs/scaling.md (prices as of ${PRICES.asOf}); cost breakdown:`,
    );
    for (const n of populations) {
      const { lines, total: sum } = costFor(loadFor(n, perUser));
      console.log(
        `  ${fmt(n)} users: ${lines.map(([name, dollars]) => `${name} $${fmt(dollars)}`).join(', ')}; total $${fmt(sum)}`,
      );
    }
  } finally {
    await mf.dispose();
  }
}

main().catch((error) => {
  console.error(`capacity failed: ${error.stack ?? error}`);
  process.exitCode = 1;
});
