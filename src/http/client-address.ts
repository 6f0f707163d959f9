/**
 * The caller's network address, as the throttles key it. Cloudflare sets `CF-Connecting-IP`
 * on every request it proxies; when it is absent (local tools, tests) or not an IP literal,
 * every such caller shares one fixed bucket, so a missing header never escapes a limit.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';

/** The bucket shared by callers without a usable `CF-Connecting-IP`. */
export const UNKNOWN_ADDRESS = 'unknown';

const IP_LITERAL = /^[0-9A-Fa-f:.]{2,45}$/;

/** `CF-Connecting-IP` when it is an IPv4/IPv6 literal, else the fixed unknown bucket. */
export function clientAddress(c: Context<AppEnv>): string {
  const ip = c.req.header('CF-Connecting-IP') ?? '';
  return IP_LITERAL.test(ip) ? ip.toLowerCase() : UNKNOWN_ADDRESS;
}
