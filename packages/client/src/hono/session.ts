/**
 * The session cookie of `@appmeta/client/hono`: a random 256-bit id (nothing else is in the
 * cookie), HttpOnly, SameSite=Lax so the authorization server's redirect back (a top-level
 * GET) carries it, Secure unless the app itself is served over http on a loopback host.
 * The store is keyed by the SHA-256 of the id, not the id.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export interface SessionCookieOptions {
  /** Cookie name; defaults to `__Host-appmeta_session` (Secure) or `appmeta_session`. */
  name?: string | undefined;
  /** Defaults to true unless the redirect URI is http on localhost or a loopback IP. */
  secure?: boolean | undefined;
  /** How long a signed-in session lasts without use; default 30 days. */
  maxAgeSeconds?: number | undefined;
}

export interface ResolvedCookie {
  name: string;
  secure: boolean;
  maxAgeSeconds: number;
}

const DEFAULT_SESSION_SECONDS = 30 * 24 * 3600;
const SESSION_ID_BYTES = 32;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an app reached at `appUrl` can use Secure cookies (http only on loopback is exempt). */
export function secureByDefault(appUrl: string): boolean {
  const url = new URL(appUrl);
  return !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

export function resolveCookie(redirectUri: string, options: SessionCookieOptions = {}) {
  const secure = options.secure ?? secureByDefault(redirectUri);
  // RFC 6265bis §4.1.3.2: a __Host- cookie is Secure, Path=/ and host-only, so no sibling
  // subdomain can plant or overwrite it.
  const name = options.name ?? (secure ? '__Host-appmeta_session' : 'appmeta_session');
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_SESSION_SECONDS;
  return { name, secure, maxAgeSeconds } satisfies ResolvedCookie;
}

export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES));
  return base64url(bytes);
}

/** The session id from the cookie, when it has the shape this module writes. */
export function readSessionId(c: Context, cookie: ResolvedCookie): string | undefined {
  const value = getCookie(c, cookie.name);
  return value !== undefined && SESSION_ID_PATTERN.test(value) ? value : undefined;
}

export function writeSessionId(c: Context, cookie: ResolvedCookie, id: string): void {
  setCookie(c, cookie.name, id, {
    path: '/',
    httpOnly: true,
    secure: cookie.secure,
    sameSite: 'Lax',
    maxAge: cookie.maxAgeSeconds,
  });
}

export function clearSessionId(c: Context, cookie: ResolvedCookie): void {
  deleteCookie(c, cookie.name, { path: '/', secure: cookie.secure, httpOnly: true });
}

/** The store key for a session id: its SHA-256, base64url. */
export async function sessionKey(id: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id));
  return base64url(new Uint8Array(digest));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
