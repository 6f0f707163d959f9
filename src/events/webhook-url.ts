/**
 * Which webhook URLs an application may register (spec §13, §17; security.md, OWASP API7
 * SSRF): absolute `https`; `http` only to a loopback host while the issuer itself is a
 * loopback origin (development). Outside development, hosts that name private, loopback,
 * link-local, carrier-grade NAT, multicast or metadata-service addresses are refused. Names
 * are not resolved here (a Worker cannot resolve DNS ahead of a fetch); Cloudflare's edge does
 * not route Worker subrequests to private ranges, and redirects are never followed.
 */

const URL_MAX_CHARS = 2048;
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

/** 127.0.0.0/8, [::1] and localhost names. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host)
  );
}

function ipv4Refused(host: string): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!match) return false;
  const [a, b] = [Number(match[1]), Number(match[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && Number(match[3]) === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Every IPv6 literal except global unicast outside the special ranges is refused. */
function ipv6Refused(host: string): boolean {
  if (!host.startsWith('[')) return false;
  const address = host.slice(1, -1);
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (embedded !== undefined) return true;
  if (/^::ffff:/i.test(address) || /^64:ff9b:/i.test(address)) return true;
  const first = parseInt(address.split(':')[0] || '0', 16);
  // ::, ::1, fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, 2001:db8 docs.
  return (
    address.startsWith('::') ||
    (first & 0xfe00) === 0xfc00 ||
    (first & 0xffc0) === 0xfe80 ||
    (first & 0xff00) === 0xff00 ||
    /^2001:db8:/i.test(address)
  );
}

/** Null when `value` may be registered; otherwise why not (a 422 detail). */
export function webhookUrlProblem(value: string, issuerIsLoopback: boolean): string | null {
  if (value.length > URL_MAX_CHARS) return `must be at most ${URL_MAX_CHARS} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (url.protocol === 'http:') {
    if (issuerIsLoopback && isLoopbackHost(host)) return null;
    return 'must use https (http only to a loopback host in development)';
  }
  if (url.protocol !== 'https:') return 'must be an absolute https URL';
  if (issuerIsLoopback) return null;
  if (host === '' || LOCAL_NAMES.test(host) || (!host.includes('.') && !host.startsWith('['))) {
    return 'must name a public host';
  }
  if (ipv4Refused(host) || ipv6Refused(host) || host === 'metadata.google.internal') {
    return 'must not target a private, loopback, link-local or metadata address';
  }
  return null;
}

/** Whether the issuer is a loopback origin (development, spec §11). */
export function isLoopbackIssuer(issuer: string): boolean {
  try {
    const url = new URL(issuer);
    return isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}
