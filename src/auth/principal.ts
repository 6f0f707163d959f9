/** Who a verified bearer token speaks for. Status (grant, key, app) is checked by storage. */
import type { Scope } from './scopes';

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
  scopes: ReadonlySet<Scope>;
}

export type Principal = AppPrincipal | PersonalPrincipal;
export type TokenPrincipal = AppPrincipal | PersonalPrincipal;
