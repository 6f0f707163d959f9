/**
 * The --profile mode of `npm run bench`: one target under load for --duration seconds while
 * V8's sampling profiler runs in its worker, then the top self-time functions, per request.
 */
import { runRound } from './load.mjs';
import { formatProfile, profileDuring } from './profile.mjs';

const TOP = 15;
/** The probe's writes delete views again 1.5 s later (KV_REDELETE_DELAY_MS): let that pass. */
const REDELETE_SETTLE_MS = 2000;

export async function runProfile(target, ctx, send, { servers, bundles, options, root }) {
  const server = servers[target.server];
  const workerName = target.server === 'app' ? 'appmeta' : 'reference';
  const bundlePath = target.server === 'app' ? bundles.workerPath : bundles.referencePath;
  const load = (durationSeconds) =>
    runRound(target, ctx, { url: server.url, durationSeconds, connections: options.connections });
  await new Promise((resolve) => setTimeout(resolve, REDELETE_SETTLE_MS));
  if (options.warmup > 0) await load(options.warmup);
  await target.warm?.(ctx, send);
  console.log(`profiling (${target.id}) ${target.name} for ${options.duration} s…`);
  const { loadResult, rows, file } = await profileDuring(
    {
      inspectorUrl: String(await server.mf.getInspectorURL()),
      workerName,
      bundlePath,
      root,
      label: target.id,
    },
    () => load(options.duration),
  );
  const { text, busyUs } = formatProfile(rows, { requests: loadResult.requests, top: TOP });
  console.log(
    `\n(${target.id}) ${target.name}: ${loadResult.requests} requests, ${loadResult.rps.toFixed(0)} req/s` +
      ` (slowed by the profiler), unexpected ${loadResult.unexpected}; sampled JS busy time` +
      ` ${(busyUs / loadResult.requests).toFixed(0)} µs/request\n\n${text}\n\nraw profile: ${file}`,
  );
}
