/**
 * Headers every response starts with. They are set once, before the handler runs, so Hono
 * builds them into the response; a handler that sets one of them (the HTML pages' stricter
 * framing and referrer rules, the JWKS's public caching) simply replaces it. Mutating the
 * finished response instead (hono/secure-headers) cost about a tenth of a hot read's time.
 */

/** OWASP's recommended security headers for JSON APIs; the pages add their own CSP. */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

/** Responses of the JSON API hold per-user data: never stored by any cache (RFC 9111 §5.2.2.5). */
export const API_CACHE_CONTROL = 'no-store';

const CLIENT_REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The caller's own `X-Request-Id`, when it is a plain token, to echo as
 * `X-Client-Request-Id` so a client can correlate its logs. It is never the service's
 * request id: that one is always generated here, so a caller cannot make log lines of
 * different requests (or of other callers) share an id. Null when absent or malformed.
 */
export function clientRequestIdOf(incoming: string | undefined): string | null {
  return incoming !== undefined && CLIENT_REQUEST_ID_PATTERN.test(incoming) ? incoming : null;
}
