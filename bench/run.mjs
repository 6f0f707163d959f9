/**
 * `npm run bench`: bundles the Worker and the reference worker, serves both with Miniflare on
 * 127.0.0.1, seeds data, verifies every target once, then drives bounded load in rounds. The
 * pair (reference, hot read) runs back to back in every round, alternating which goes first,
 * and the table reports medians over rounds. Options: `npm run bench -- --help`.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkers } from './build.mjs';
import { cpuNanos, cpuSource } from './cpu.mjs';
import { meetsExpectation, requestFor, runRound, sampleCpu } from './load.mjs';
import { readOptions } from './options.mjs';
import { runProfile } from './run-profile.mjs';
import {
  formatCpu,
  formatRatio,
  formatTable,
  pairRatio,
  summarise,
  writeRecord,
} from './report.mjs';
import {
  ALL_SCOPES,
  applySchema,
  generateKeys,
  seedData,
  seedSyncUser,
  seedWebhookEndpoint,
} from './seed.mjs';
import { startApp, startReference } from './servers.mjs';
import { targets } from './targets.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ISSUER = 'http://bench.local';
const SETTLE_MS = 300;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ids handed out one per request; counts wrap-arounds (a wrapped id may be a cache hit). */
function rotating(ids) {
  let index = 0;
  const state = {
    wraps: 0,
    next() {
      if (index === ids.length) [index, state.wraps] = [0, state.wraps + 1];
      return ids[index++];
    },
  };
  return state;
}

/** `inspectOn`: the server ('app' or 'reference') to serve with an inspector, for --profile. */
async function setUp(options, inspectOn) {
  console.log('bundling the Worker and the reference worker…');
  const bundles = await bundleWorkers(ROOT);
  const keys = await generateKeys();
  const inspect = (server) => (inspectOn === server ? options.inspectorPort : undefined);
  const app = await startApp({
    workerPath: bundles.workerPath,
    wranglerTomlPath: path.join(ROOT, 'wrangler.toml'),
    keys,
    issuer: ISSUER,
    inspectorPort: inspect('app'),
  });
  const reference = await startReference({
    referencePath: bundles.referencePath,
    keys,
    issuer: ISSUER,
    inspectorPort: inspect('reference'),
  });
  return { keys, bundles, servers: { app, reference } };
}

/** What the report header says about the bench application's rate limit (spec §15). */
const TIER_NOTE = 'bench application: rate_limit_tier unlimited (set through the admin API)';

/**
 * Creates an application through the admin API with `rate_limit_tier: "unlimited"`, as an
 * operator would for a load test: the API stores the tier in D1 and publishes it to the KV key
 * the rate limiter reads, so the load measures the API, not the limiter's 429s.
 */
async function createUnlimitedApplication(servers, keys, name) {
  const res = await fetch(`${servers.app.url}/api/v1/admin/applications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      redirect_uris: ['https://app.example.test/callback'],
      confidential: true,
      scopes: ALL_SCOPES,
      rate_limit_tier: 'unlimited',
    }),
  });
  const body = await res.json();
  if (res.status !== 201 || body.rate_limit_tier !== 'unlimited') {
    throw new Error(`admin API: creating the bench application answered ${res.status}`);
  }
  return body.client_id;
}

async function seed(servers, keys, options) {
  const db = await servers.app.mf.getD1Database('DB');
  await applySchema(db, path.join(ROOT, 'schema.sql'));
  const started = Date.now();
  const clientId = await createUnlimitedApplication(servers, keys, 'Bench app');
  const data = await seedData(db, keys, {
    issuer: ISSUER,
    clientId,
    activityCount: options.coldIds + 2,
  });
  const [hotId, putId, ...coldIds] = data.activityIds;
  console.log(`seeded ${data.activityIds.length} activities in ${Date.now() - started} ms`);
  console.log(TIER_NOTE);
  const sync = await seedSyncUser(db, keys, { issuer: ISSUER, clientId: data.clientId });
  // A second user and app whose app has a webhook endpoint: writes also wake the queue.
  const hookedClientId = await createUnlimitedApplication(servers, keys, 'Bench webhook app');
  const hooked = await seedData(db, keys, {
    issuer: ISSUER,
    clientId: hookedClientId,
    activityCount: 1,
  });
  await seedWebhookEndpoint(db, hooked.clientId);
  const webhook = { token: hooked.token, putId: hooked.activityIds[0] };
  return { token: data.token, hotId, putId, coldIds: rotating(coldIds), sync, webhook };
}

/** One request outside the load (prepare, warm, probe); `body` is an object sent as JSON. */
function sender(servers) {
  return (server, { method, path: urlPath, token, body }) =>
    fetch(servers[server].url + urlPath, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** The app's catch-all 404 (src/app.ts notFound), as opposed to a route's own 404. */
function routeAbsent(status, text) {
  if (status !== 404) return false;
  try {
    return JSON.parse(text).error === 'No such endpoint.';
  } catch {
    return false;
  }
}

/**
 * Prepares and probes a target with one request. Returns a note when an optional target's
 * route is absent (the catch-all 404); throws, stopping the benchmark, on any other answer
 * that is not what the target expects.
 */
async function probe(target, ctx, send) {
  await target.prepare?.(ctx, send);
  await target.warm?.(ctx, send);
  const res = await send(target.server, {
    method: target.method,
    path: target.nextPath ? target.nextPath(ctx) : target.path(ctx),
    token: target.auth === false ? undefined : (target.token?.(ctx) ?? ctx.token),
    body: target.body?.(ctx),
  });
  const text = await res.text();
  if (target.optional && routeAbsent(res.status, text)) {
    return 'answered 404 "No such endpoint." (route absent): skipped';
  }
  const timing = res.headers.get('server-timing');
  if (!meetsExpectation(target, res.status, timing)) {
    throw new Error(
      `probe of (${target.id}) ${target.name}: status ${res.status}, Server-Timing ${timing}; ` +
        `expected ${JSON.stringify(target.expect)}`,
    );
  }
  target.check?.(text);
  return null;
}

function selectTargets(options) {
  return targets.filter(
    (target) =>
      (options.only ? options.only.has(target.id) : true) && (!target.variant || options.variants),
  );
}

/**
 * Round order: the headline group back to back with the hot read in the middle, so it is next
 * to both floors (b before it and b0 after it on even rounds, the reverse on odd ones), then
 * everything else.
 */
function roundOrder(active, round) {
  const group = ['floor', 'measured', 'floor0'].map((pair) => active.find((t) => t.pair === pair));
  const present = group.filter(Boolean);
  const first = round % 2 === 0 ? present : [...present].reverse();
  return [
    ...active.filter((t) => t.variant),
    ...first,
    ...active.filter((t) => !t.pair && !t.variant),
  ];
}

async function measure(active, ctx, send, servers, options) {
  const load = (target, durationSeconds) =>
    runRound(target, ctx, {
      url: servers[target.server].url,
      durationSeconds,
      connections: options.connections,
    });
  if (options.warmup > 0) {
    console.log(`warm-up: ${options.warmup} s per target`);
    for (const target of active) await load(target, options.warmup);
  }
  const roundsById = Object.fromEntries(active.map((target) => [target.id, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const target of roundOrder(active, round)) {
      await target.warm?.(ctx, send);
      await sleep(SETTLE_MS);
      const pid = servers[target.server].pid;
      const before = pid ? cpuNanos(pid) : null;
      const result = await load(target, options.duration);
      const cpuNs = pid ? cpuNanos(pid) - before : null;
      result.cpuUs =
        cpuNs === null || result.requests === 0 ? null : cpuNs / result.requests / 1000;
      roundsById[target.id].push(result);
      console.log(
        `round ${round + 1}/${options.rounds}  (${target.id}) ${target.name.padEnd(44)}` +
          ` ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms` +
          `  CPU ${result.cpuUs?.toFixed(0) ?? '–'} µs/req`,
      );
    }
  }
  return roundsById;
}

/** Per-request CPU of each target from sequential requests (bench/load.mjs sampleCpu). */
async function sampleAll(active, ctx, send, servers, options) {
  const samplesById = {};
  if (options.cpuSamples === 0) return samplesById;
  console.log(`CPU samples: ${options.cpuSamples} sequential requests per target`);
  for (const target of active) {
    const { url, pid } = servers[target.server];
    if (!pid) continue;
    await target.warm?.(ctx, send);
    samplesById[target.id] = await sampleCpu(target, ctx, {
      url,
      pid,
      samples: options.cpuSamples,
      cpuNanos,
    });
  }
  return samplesById;
}

async function main() {
  const options = readOptions();
  const startedAt = new Date().toISOString();
  const profiled = options.profile ? targets.find((t) => t.id === options.profile) : null;
  if (options.profile && !profiled) throw new Error(`--profile: no target ${options.profile}`);
  const { keys, bundles, servers } = await setUp(options, profiled?.server);
  try {
    const ctx = await seed(servers, keys, options);
    const send = sender(servers);
    if (profiled) {
      await probe(profiled, ctx, send);
      await runProfile(profiled, ctx, send, { servers, bundles, options, root: ROOT, ISSUER });
      return;
    }
    const active = [];
    const skipped = [];
    for (const target of selectTargets(options)) {
      const note = await probe(target, ctx, send);
      if (note) {
        console.log(`note: (${target.id}) ${target.name} ${note}`);
        skipped.push({ id: target.id, name: target.name, note });
      } else active.push(target);
    }
    console.log(`all ${active.length} targets verified; ${options.connections} connections`);
    const roundsById = await measure(active, ctx, send, servers, options);
    const samplesById = await sampleAll(active, ctx, send, servers, options);
    const rows = active.map((t) => summarise(t, roundsById[t.id], samplesById[t.id]));
    const headline = pairRatio(rows, roundsById, { floor: 'b', measured: 'c' });
    const physical = pairRatio(rows, roundsById, { floor: 'b0', measured: 'c' });
    console.log(`\n${TIER_NOTE}\n${formatTable(rows)}\n\n${formatRatio(headline)}`);
    if (physical) console.log(formatRatio(physical, 'hot/kv-only (c/b0)', null));
    console.log(formatCpu(rows, cpuSource()));
    // Profiling aid: the hot read against a floor that reads as many KV keys as it does.
    const bulkFloor = pairRatio(rows, roundsById, { floor: 'b4', measured: 'c' });
    if (bulkFloor) console.log(formatRatio(bulkFloor, 'hot/reference-4-keys'));
    // Sync lists (spec §14, issue 8 finding 1): each target's cost over its `baseline`'s.
    const syncRatios = active
      .filter((target) => target.baseline)
      .map((target) => ({
        id: target.id,
        baseline: target.baseline,
        ...pairRatio(rows, roundsById, { floor: target.id, measured: target.baseline }),
      }));
    for (const ratio of syncRatios) {
      const pairs = (ratio.perRound ?? []).map((value) => value.toFixed(2)).join(', ');
      console.log(
        `cost (${ratio.id})/(${ratio.baseline}) = ${ratio.ratio?.toFixed(2) ?? 'n/a'}` +
          ` (per-round pairs ${pairs}; median ${ratio.medianOfPairs?.toFixed(2) ?? 'n/a'})`,
      );
    }
    if (ctx.coldIds.wraps > 0) console.log('warning: cold ids wrapped around; raise --cold-ids');
    for (const { id, note } of skipped) console.log(`skipped (${id}): ${note}`);
    const machine = { cpus: os.cpus().length, node: process.version, platform: os.platform() };
    const file = await writeRecord(ROOT, {
      startedAt,
      machine,
      benchApplication: { rateLimitTier: 'unlimited', setThrough: 'admin API' },
      options: { ...options, only: options.only ? [...options.only] : null },
      rows,
      headline,
      physical,
      bulkFloor,
      cpuSource: cpuSource(),
      cpuSamples: samplesById,
      syncRatios,
      skipped,
      coldIdWraps: ctx.coldIds.wraps,
      rounds: roundsById,
    });
    console.log(`raw numbers: ${path.relative(ROOT, file)}`);
  } finally {
    await Promise.all([servers.app.mf.dispose(), servers.reference.mf.dispose()]);
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
});
