/**
 * Content-Security-Policy for every HTML response (CSP Level 3). Pages carry no scripts at all;
 * the API reference runs Swagger UI from this origin's static files and nothing else. No policy
 * allows another origin, inline scripts or eval; `frame-ancestors 'none'` stops clickjacking.
 *
 * No `form-action`: Chrome applies it to the redirect after a form post, and the consent form's
 * answer is a redirect to the client's registered redirect URI (RFC 6749 §4.1.2).
 */

/** Server-rendered pages: inline <style> only, no scripts, no other origin. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

/**
 * /docs: scripts and styles from this origin only; Swagger UI sets style attributes (hence
 * 'unsafe-inline' for styles, never for scripts) and fetches /openapi.json (connect-src 'self').
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** True when a finished response is an HTML document that still lacks a policy. */
export function needsPageCsp(headers: Headers): boolean {
  const type = headers.get('Content-Type');
  return (
    type !== null &&
    type.toLowerCase().startsWith('text/html') &&
    !headers.has('Content-Security-Policy')
  );
}
