/**
 * Drives one target for one round with autocannon (bounded duration, 127.0.0.1 only) and
 * checks every response against the target's expectations, so a benchmark that silently
 * measured errors or cache misses shows up in the table instead of in a flattering number.
 */
import autocannon from 'autocannon';

/** Request options shared by the probe (fetch) and the load (autocannon). */
export function requestFor(target, ctx) {
  const headers = {};
  if (target.auth !== false) headers.authorization = `Bearer ${target.token?.(ctx) ?? ctx.token}`;
  const body = target.body ? JSON.stringify(target.body(ctx)) : undefined;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method: target.method, headers, body };
}

/** Whether a response meets the target's expectations (status, Server-Timing substring). */
export function meetsExpectation(target, status, serverTiming) {
  if (!target.expect.status.includes(status)) return false;
  return !target.expect.timing || (serverTiming ?? '').includes(target.expect.timing);
}

function runAutocannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** One round: returns throughput, latency percentiles and how many responses were off. */
export async function runRound(target, ctx, { url, durationSeconds, connections }) {
  const { method, headers, body } = requestFor(target, ctx);
  let unexpected = 0;
  const request = {
    method,
    headers,
    body,
    onResponse(status, _body, _context, responseHeaders) {
      const timing = responseHeaders['server-timing'] ?? responseHeaders['Server-Timing'];
      if (!meetsExpectation(target, status, timing)) {
        unexpected += 1;
        // BENCH_DEBUG=1 shows what was off (status, Server-Timing), never the body.
        if (process.env.BENCH_DEBUG) console.log(`unexpected: ${status} ${timing}`);
      }
    },
  };
  if (target.nextPath) request.setupRequest = (req) => ({ ...req, path: target.nextPath(ctx) });
  else request.path = target.path(ctx);
  const result = await runAutocannon({
    url,
    connections,
    duration: durationSeconds,
    pipelining: 1,
    requests: [request],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    unexpected,
  };
}

/** Time for a response's background work (waitUntil: KV refills) to land in its own sample. */
const SAMPLE_SETTLE_MS = 2;

/**
 * Per-request server CPU: `samples` requests one at a time, the workerd process's CPU read
 * before each and after it answered (plus a short settle), in microseconds. Sequential, so
 * nothing else the server does overlaps; what the simulators spend for the request is included.
 */
export async function sampleCpu(target, ctx, { url, pid, samples, cpuNanos }) {
  const { method, headers, body } = requestFor(target, ctx);
  const values = [];
  // One unmeasured request first: it opens the connection, which costs the server extra.
  await (
    await fetch(url + (target.nextPath ? target.nextPath(ctx) : target.path(ctx)), {
      method,
      headers,
      body,
    })
  ).arrayBuffer();
  for (let index = 0; index < samples; index += 1) {
    const path = target.nextPath ? target.nextPath(ctx) : target.path(ctx);
    const before = cpuNanos(pid);
    const res = await fetch(url + path, { method, headers, body });
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_SETTLE_MS));
    values.push((cpuNanos(pid) - before) / 1000);
  }
  return values;
}
