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

/** True when `requested` equals one of `registered` under the rule above. */
export function matchRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  if (!URL.canParse(requested)) return false;
  const asked = new URL(requested);
  if (asked.protocol !== 'http:' || !LOOPBACK_IP_HOSTS.has(asked.hostname)) return false;
  return registered.some((candidate) => {
    if (!URL.canParse(candidate)) return false;
    const known = new URL(candidate);
    return (
      known.protocol === 'http:' &&
      known.hostname === asked.hostname &&
      withoutPort(known) === withoutPort(asked) &&
      // Exactness for everything but the port: compare the strings with the port removed.
      candidate.replace(/^http:\/\/[^/]+/, '') === requested.replace(/^http:\/\/[^/]+/, '')
    );
  });
}

function withoutPort(url: URL): string {
  return `${url.protocol}//${url.hostname}${url.pathname}${url.search}`;
}
