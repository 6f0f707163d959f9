/**
 * Redirect URI rules. Registration accepts absolute https URLs, or http on a loopback host
 * (RFC 8252 §7.3), never with a fragment (RFC 6749 §3.1.2). Matching is exact string
 * comparison, except that the port of an http loopback IP literal may differ (RFC 8252 §7.3).
 */

const LOOPBACK_IP_HOSTS = new Set(['127.0.0.1', '[::1]']);
const LOOPBACK_HOSTS = new Set([...LOOPBACK_IP_HOSTS, 'localhost']);

export function isAcceptableRedirectUri(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.hash !== '' || value.includes('#')) return false;
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The parts of an http loopback IP-literal URI as written: host literal, port, and the rest.
 * Parsed from the string itself, not through URL (which would accept `127.1`, `0x7f000001`,
 * userinfo or `127.0.0.1.` as the same host): only the port may differ (spec §11).
 */
const LOOPBACK_URI = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([1-9][0-9]{0,4}))?([/?][^#]*)?$/;

function loopbackParts(value: string): { host: string; rest: string } | null {
  const match = LOOPBACK_URI.exec(value);
  if (match === null || Number(match[2] ?? '80') > 65535) return null;
  return { host: match[1] as string, rest: match[3] ?? '' };
}

/** True when `requested` equals one of `registered` under the rule above. */
export function matchRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const asked = loopbackParts(requested);
  if (asked === null) return false;
  return registered.some((candidate) => {
    const known = loopbackParts(candidate);
    return known !== null && known.host === asked.host && known.rest === asked.rest;
  });
}
