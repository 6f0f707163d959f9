/**
 * Form-encoded parameters (application/x-www-form-urlencoded), as the token and revocation
 * endpoints receive them. RFC 6749 §3.1/§3.2: a parameter sent more than once is an error.
 */

export type Params = Map<string, string>;

/** Single-valued parameters, or the name of the first one repeated. */
export function singleParams(search: URLSearchParams):
  | { ok: true; params: Params }
  | {
      ok: false;
      repeated: string;
    } {
  const params: Params = new Map();
  for (const [name, value] of search) {
    if (params.has(name)) return { ok: false, repeated: name };
    params.set(name, value);
  }
  return { ok: true, params };
}

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded inside HTTP Basic. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

export type BasicCredentials = { clientId: string; secret: string };

/**
 * Parses `Authorization: Basic …`: undefined when the header is absent or another scheme,
 * null when it is Basic but malformed.
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null | undefined {
  if (header === undefined) return undefined;
  const match = /^basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  // A bare `Basic` (no credentials) is a failed Basic attempt, not an absent one.
  if (!/^basic(?: |$)/i.test(header)) return undefined;
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = atob(match[1]);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === null || secret === null) return null;
  return { clientId, secret };
}
