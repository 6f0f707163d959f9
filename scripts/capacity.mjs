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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Miniflare } from 'miniflare';
import { applySchema } from '../bench/seed.mjs';
import { USER, bulk, hash, newId, seedUsers, sizeOf } from './lib/capacity-seed.mjs';
import {
  D1_DATABASE_MAX_GB,
  D1_QUERIES_PER_SECOND_PER_DATABASE,
  PRICES,
  costFor,
  loadFor,
} from './lib/capacity-model.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

function formatTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Seeds the sample into a fresh in-memory D1 and returns the bytes per user, by table too. */
async function measure(sample) {
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
    const application = (app) => ({
      client_id: app,
      name: 'Coach app',
      redirect_uris: '["https://coach.example/cb"]',
      confidential: 1,
      scopes: '["profile","data:read","metadata.read","metadata.write"]',
      secret_hash: hash(),
      created_at: 0,
    });
    await bulk(db, 'applications', apps.map(application)).run();
    const empty = await sizeOf(db);
    const started = Date.now();
    const byTable = await seedUsers(db, sample, apps);
    const total = (await sizeOf(db)) - empty;
    return { total, perUser: total / sample, byTable, ms: Date.now() - started };
  } finally {
    await mf.dispose();
  }
}

function printStorage({ total, perUser, byTable, ms }, sample) {
  console.log(`seeded ${sample} users in ${ms} ms; profile per user: ${JSON.stringify(USER)}`);
  console.log(
    `database grew ${fmt(total)} bytes (D1 meta.size_after): ${fmt(perUser)} bytes per user;` +
      ` one ${D1_DATABASE_MAX_GB} GB database holds about ${fmt((D1_DATABASE_MAX_GB * 1e9) / perUser)} users\n`,
  );
  const tables = Object.entries(byTable)
    .sort((a, b) => b[1] - a[1])
    .map(([table, bytes]) => [table, fmt(bytes / sample), `${fmt((100 * bytes) / total, 1)} %`]);
  console.log(formatTable(['table', 'bytes per user', 'share'], tables));
}

function printModel(populations, perUser) {
  const header = ['users', 'D1 GB', 'D1 DBs (10 GB)', 'D1 q/s', 'q/s per DB', 'KV reads/s'];
  header.push('KV writes/s', 'Queue msgs M/mo', 'cost $/month');
  const rows = populations.map((n) => {
    const load = loadFor(n, perUser);
    return [
      fmt(n),
      fmt(load.storageGb, 1),
      fmt(load.databases),
      fmt(load.d1QueriesPerSecond),
      fmt(load.d1QueriesPerDatabase, 1),
      fmt(load.kvReadsPerSecond),
      fmt(load.kvWritesPerSecond),
      fmt(load.queueMessagesPerMonth / 1e6, 1),
      `$${fmt(costFor(load).total)}`,
    ];
  });
  console.log(`\n${formatTable(header, rows)}`);
  const throughput = populations.map(
    (n) => `${fmt(n)}: ${fmt(loadFor(n, perUser).databasesForThroughput)}`,
  );
  console.log(
    `\nD1 databases for throughput alone (peak q/s ÷ ${D1_QUERIES_PER_SECOND_PER_DATABASE}): ${throughput.join(', ')}`,
  );
  console.log(
    `\nrequest mix and prices: docs/scaling.md (prices as of ${PRICES.asOf}); cost breakdown:`,
  );
  for (const n of populations) {
    const { lines, total } = costFor(loadFor(n, perUser));
    const parts = lines.map(([name, dollars]) => `${name} $${fmt(dollars)}`).join(', ');
    console.log(`  ${fmt(n)} users: ${parts}; total $${fmt(total)}`);
  }
}

async function main() {
  const { sample, users } = options();
  const measured = await measure(sample);
  printStorage(measured, sample);
  const standard = [1e6, 1e7, 1e8];
  const populations = [...standard, ...(users && !standard.includes(users) ? [users] : [])];
  printModel(
    populations.sort((a, b) => a - b),
    measured.perUser,
  );
}

main().catch((error) => {
  console.error(`capacity failed: ${error.stack ?? error}`);
  process.exitCode = 1;
});
