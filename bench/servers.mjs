/**
 * The two Miniflare instances the benchmark drives, both on 127.0.0.1 with in-memory storage:
 * the real Worker (D1 `DB`, KV `CACHE`, the queue producer, the rate limiters, secrets) and the reference worker (KV `CACHE` holding
 * the keys it reads). Settings mirror wrangler.toml.
 */
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { workerdChildren } from './cpu.mjs';

const COMPATIBILITY = { compatibilityDate: '2026-04-20', compatibilityFlags: ['nodejs_compat'] };
/** The keys bench/reference-worker.js reads (its first one alone for /ref). */
const REFERENCE_KEYS = ['bench/ref/entity', 'bench/ref/doc', 'bench/ref/grant', 'bench/ref/app'];

/**
 * The top-level `[[ratelimits]]` bindings of wrangler.toml (name → { simple: { limit, period } }),
 * read from the file so the bench serves the limits the Worker is deployed with.
 */
function rateLimits(wranglerTomlPath) {
  const blocks = readFileSync(wranglerTomlPath, 'utf8')
    .split('\n[')
    .filter((block) => block.startsWith('[ratelimits]]'));
  return Object.fromEntries(
    blocks.map((block) => {
      const name = /name = "(\w+)"/.exec(block)?.[1];
      const [, limit, period] = /simple = \{ limit = (\d+), period = (\d+) \}/.exec(block) ?? [];
      return [name, { simple: { limit: Number(limit), period: Number(period) } }];
    }),
  );
}

/** BENCH_PORT_BASE pins the ports (app on it, reference on the next) on shared machines. */
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 0);
let nextPort = PORT_BASE;

/**
 * Starts one Miniflare and finds its workerd process (the child that was not there before),
 * whose CPU the benchmark reads. Servers start one after another, so the difference is one pid.
 */
async function start(options) {
  const before = new Set(workerdChildren());
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: PORT_BASE > 0 ? nextPort++ : 0,
    modules: true,
    ...COMPATIBILITY,
    ...options,
  });
  const url = await mf.ready;
  const spawned = workerdChildren().filter((pid) => !before.has(pid));
  return { mf, url: url.origin, pid: spawned.length === 1 ? spawned[0] : null };
}

/** Serves the bundled Worker; storage is in memory and discarded on dispose. */
export function startApp({ workerPath, wranglerTomlPath, keys, issuer, inspectorPort }) {
  return start({
    name: 'appmeta',
    ...(inspectorPort ? { inspectorPort } : {}),
    scriptPath: workerPath,
    d1Databases: { DB: 'bench-db' },
    kvNamespaces: { CACHE: 'bench-cache' },
    // Producer only: writes with change records send their webhook wake-up here.
    queueProducers: { WEBHOOK_QUEUE: 'appmeta-webhooks' },
    // The Rate Limiting bindings (spec §15); the bench application is `unlimited` (run.mjs).
    ratelimits: rateLimits(wranglerTomlPath),
    bindings: {
      ADMIN_TOKEN: keys.adminToken,
      SIGNING_KEYS: JSON.stringify({ keys: [keys.privateJwk] }),
      ISSUER: issuer,
    },
  });
}

/** Serves the reference worker with its KV seeded: values shaped like the app's entries. */
export async function startReference({ referencePath, keys, issuer, inspectorPort }) {
  const server = await start({
    name: 'reference',
    ...(inspectorPort ? { inspectorPort } : {}),
    scriptPath: referencePath,
    kvNamespaces: { CACHE: 'reference-cache' },
    bindings: { PUBLIC_JWKS: JSON.stringify({ keys: [keys.publicJwk] }), ISSUER: issuer },
  });
  const kv = await server.mf.getKVNamespace('CACHE');
  const sample = { o: 'usr_reference', t: 'activities', i: 'act_reference', e: { name: 'ride' } };
  for (const key of REFERENCE_KEYS) await kv.put(key, JSON.stringify(sample));
  return server;
}
