/**
 * The caller's network address, as the throttles key it. Cloudflare sets `CF-Connecting-IP`
 * on every request it proxies; when it is absent (local tools, tests) or not an IP literal,
 * every such caller shares one fixed bucket, so a missing header never escapes a limit.
 *
 * An IPv6 caller is keyed by its /64: one subscriber usually holds a whole /64, so keying the
 * full address would hand a single attacker 2^64 buckets.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';

/** The bucket shared by callers without a usable `CF-Connecting-IP`. */
export const UNKNOWN_ADDRESS = 'unknown';

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f:]{2,39}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** The first four hextets of an IPv6 literal (its /64), or null when it is not one. */
function ipv6Prefix(ip: string): string | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const [head = '', tail] = halves;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const hextets = [...left, ...Array<string>(missing).fill('0'), ...right];
  if (!hextets.every((part) => HEXTET.test(part))) return null;
  return `${hextets
    .slice(0, 4)
    .map((part) => part.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The throttle key of an address literal: IPv4 as is, IPv6 by its /64, else unknown. */
export function addressKey(raw: string): string {
  const ip = raw.trim().toLowerCase();
  if (IPV4.test(ip)) return ip;
  // An IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) is its IPv4 address.
  if (ip.startsWith('::ffff:') && IPV4.test(ip.slice(7))) return ip.slice(7);
  if (!IPV6.test(ip)) return UNKNOWN_ADDRESS;
  return ipv6Prefix(ip) ?? UNKNOWN_ADDRESS;
}

/** The caller's throttle key, from `CF-Connecting-IP`. */
export function clientAddress(c: Context<AppEnv>): string {
  return addressKey(c.req.header('CF-Connecting-IP') ?? '');
}
