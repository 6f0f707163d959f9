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
      if (!meetsExpectation(target, status, timing)) unexpected += 1;
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
