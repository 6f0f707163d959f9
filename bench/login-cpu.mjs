#!/usr/bin/env node
/**
 * `npm run bench:login-cpu`: what one password check costs in workerd (docs/operations.md).
 * Timers do not advance during CPU work inside a Worker, so the cost is measured from outside:
 * sequential requests to a Worker (in Miniflare, this repository's pinned workerd) that runs
 * the login's PBKDF2-SHA-256 at 100,000 iterations (src/auth/password.ts), minus the same
 * number of requests that do nothing. Prints the median and the 90th percentile.
 */
import { Miniflare } from 'miniflare';

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const WORKER = `
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/pbkdf2') {
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('a long enough password'), 'PBKDF2', false, ['deriveBits']);
      const salt = crypto.getRandomValues(new Uint8Array(16));
      await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100000 }, key, 256);
    }
    return new Response('ok');
  },
};`;

async function timings(mf, path) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = process.hrtime.bigint();
    await (await mf.dispatchFetch(`http://localhost${path}`)).text();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const mf = new Miniflare({ modules: true, script: WORKER, compatibilityDate: '2026-04-20' });
try {
  await timings(mf, '/noop'); // warm-up
  const noop = await timings(mf, '/noop');
  const hash = await timings(mf, '/pbkdf2');
  const median = at(hash, 0.5) - at(noop, 0.5);
  console.log(
    `PBKDF2-SHA-256 x 100,000 in workerd, ${ROUNDS} rounds: median ${median.toFixed(1)} ms ` +
      `(p90 ${(at(hash, 0.9) - at(noop, 0.5)).toFixed(1)} ms; empty request ${at(noop, 0.5).toFixed(2)} ms)`,
  );
} finally {
  await mf.dispose();
}
