/**
 * Spending a rate limit in tests. Miniflare's limiter counts in windows aligned to the clock
 * (every key starts again at each multiple of the period), so a run that straddles a window
 * boundary would see a budget refilled halfway. `inOneWindow` runs an attempt again, on fresh
 * users, apps or addresses the attempt creates itself, when a boundary passed during it.
 * Attempts return what they saw and the test asserts afterwards.
 */
import { expect } from 'vitest';
import { apiError } from './worker';

export const WINDOW_SECONDS = 60;
/**
 * A test that spends a whole budget makes hundreds of requests (a few seconds each on this
 * machine; longer under load and with a retried window), beyond vitest's default 5 s.
 */
export const SPENDING_TIMEOUT_MS = 120_000;

const windowOf = () => Math.floor(Date.now() / 1000 / WINDOW_SECONDS);

export async function inOneWindow<T>(attempt: () => Promise<T>): Promise<T> {
  for (let run = 0; run < 3; run += 1) {
    const started = windowOf();
    const result = await attempt();
    if (windowOf() === started) return result;
  }
  throw new Error('a window boundary passed during each of three attempts');
}

/** Sends `count` requests one after another and returns how many answered each status. */
export async function statusCounts(
  count: number,
  send: () => Promise<Response>,
): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let sent = 0; sent < count; sent += 1) {
    const { status } = await send();
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** `Retry-After` and the draft's `RateLimit` of a refusal agree: r=0, t = Retry-After. */
export function expectRefusalFields(response: Response, policy: string) {
  const retryAfter = response.headers.get('Retry-After') ?? '';
  expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
  expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(response.headers.get('RateLimit')).toBe(`"${policy}";r=0;t=${retryAfter}`);
}

/** The API's 429 (spec §9, §15): the body, the policy and the refusal fields. */
export async function expectApiRefusal(response: Response, policy: string, quota: number) {
  expect(response.status).toBe(429);
  expect(await response.json()).toStrictEqual(
    apiError('rate_limited', {
      hint: `The limit is ${quota} requests per 60 s; retry after Retry-After seconds.`,
    }),
  );
  expect(response.headers.get('RateLimit-Policy')).toBe(`"${policy}";q=${quota};w=60`);
  expectRefusalFields(response, policy);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
}
