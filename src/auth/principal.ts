/** Who a verified bearer token speaks for. Status (grant, key, app) is checked by storage. */
import type { KeyScope, Scope } from './scopes';

/** An access token issued to an application (has `aud`). */
export interface AppPrincipal {
  kind: 'app';
  userId: string;
  clientId: string;
  scopes: ReadonlySet<Scope>;
  jti: string;
  /** The grant generation the token was issued under; must equal the grant's current one. */
  gen: number;
}

/** A personal API key (no `aud`); its jti is the key id. */
export interface PersonalPrincipal {
  kind: 'personal';
  userId: string;
  keyId: string;
  scopes: ReadonlySet<KeyScope>;
}

/**
 * The signed-in user of a first-party browser session (cookie). Accepted only by endpoints
 * for the user alone; it holds every scope, and unsafe methods must pass the Origin check.
 */
export interface SessionPrincipal {
  kind: 'session';
  userId: string;
  /** SHA-256 of the session id, the sessions row's key. */
  sessionHash: string;
  scopes: ReadonlySet<KeyScope>;
}

export type Principal = AppPrincipal | PersonalPrincipal | SessionPrincipal;
/** Who may call endpoints for the user alone (authorizations, API keys, export). */
export type UserPrincipal = PersonalPrincipal | SessionPrincipal;
export type TokenPrincipal = AppPrincipal | PersonalPrincipal;
