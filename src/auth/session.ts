/**
 * The first-party browser session and CSRF protection for the HTML forms.
 *
 * - Session: a random id in an HttpOnly, SameSite=Lax cookie (Secure, with the `__Host-`
 *   prefix, everywhere but localhost); D1 stores only its SHA-256. A login always starts a new
 *   session (no fixation).
 * - Browser binding: a second random cookie identifies the browser before anyone signs in.
 *   Authorization requests are bound to it, and every form's CSRF token is derived from it
 *   (SHA-256 of a labelled copy), so a form can only be submitted from the browser that got
 *   it; the Origin header, when present, must be our own.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_TTL_SECONDS } from '../config';
import type { AppEnv } from '../env';
import { randomToken, sha256, timingSafeEqualStrings } from '../ids';
import {
  deleteSession,
  getSessionUser,
  insertSession,
  type SessionUser,
} from '../storage/sessions';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

function isSecureContext(c: Context<AppEnv>): boolean {
  return !LOCAL_HOSTS.has(new URL(c.req.url).hostname);
}

function cookieName(c: Context<AppEnv>, base: string): string {
  return isSecureContext(c) ? `__Host-${base}` : base;
}

function cookieOptions(c: Context<AppEnv>, maxAge?: number) {
  return {
    path: '/',
    httpOnly: true,
    secure: isSecureContext(c),
    sameSite: 'Lax' as const,
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

function readCookie(c: Context<AppEnv>, base: string): string | null {
  const value = getCookie(c, cookieName(c, base));
  return value !== undefined && COOKIE_VALUE.test(value) ? value : null;
}

/** This browser's binding id, set as a cookie when missing. */
export function browserId(c: Context<AppEnv>): string {
  const existing = readCookie(c, 'am_browser');
  if (existing) return existing;
  const id = randomToken(32);
  setCookie(c, cookieName(c, 'am_browser'), id, cookieOptions(c, 365 * 24 * 3600));
  return id;
}

/** The hash authorization requests store to recognise this browser. */
export function browserHash(id: string): Promise<string> {
  return sha256(`browser:${id}`);
}

/** The CSRF token for forms rendered to this browser. */
export function csrfToken(id: string): Promise<string> {
  return sha256(`csrf:${id}`);
}

/**
 * Same-origin check: an Origin header, when sent, must be this server's own: the issuer's
 * origin, or the origin of the URL the request arrived at (the two differ behind the
 * `wrangler dev` proxy, which forwards requests with its own host).
 */
export function originAllowed(c: Context<AppEnv>, requireOrigin: boolean): boolean {
  const origin = c.req.header('Origin');
  if (origin === undefined) return !requireOrigin;
  return origin === new URL(c.req.url).origin || origin === new URL(c.var.issuer).origin;
}

/** True when a posted form carries this browser's CSRF token and comes from our origin. */
export async function formIsGenuine(
  c: Context<AppEnv>,
  token: string | undefined,
): Promise<boolean> {
  const id = readCookie(c, 'am_browser');
  if (id === null || token === undefined || !originAllowed(c, false)) return false;
  return timingSafeEqualStrings(token, await csrfToken(id));
}

export interface CurrentSession extends SessionUser {
  sessionHash: string;
}

/** The signed-in user, or null. One D1 round trip when a session cookie is present. */
export async function currentSession(c: Context<AppEnv>): Promise<CurrentSession | null> {
  const id = readCookie(c, 'am_session');
  if (id === null) return null;
  const sessionHash = await sha256(id);
  const user = await getSessionUser(c.var.db, sessionHash, c.var.now);
  return user === null ? null : { ...user, sessionHash };
}

/** Signs the user in with a fresh session id, ending the previous session of this browser. */
export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const previous = readCookie(c, 'am_session');
  if (previous !== null) await deleteSession(c.var.db, await sha256(previous));
  const id = randomToken(32);
  await insertSession(c.var.db, {
    idHash: await sha256(id),
    userId,
    now: c.var.now,
    expiresAt: c.var.now + SESSION_TTL_SECONDS,
  });
  setCookie(c, cookieName(c, 'am_session'), id, cookieOptions(c, SESSION_TTL_SECONDS));
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const id = readCookie(c, 'am_session');
  if (id !== null) await deleteSession(c.var.db, await sha256(id));
  deleteCookie(c, cookieName(c, 'am_session'), cookieOptions(c));
}
