/** The closed set of OAuth scopes (spec §2) and helpers to parse scope strings. */

export const SCOPES = [
  'profile',
  'data:read',
  'data:write',
  'metadata.read',
  'metadata.write',
] as const;

/** A scope an application may be allowed, request and hold. */
export type Scope = (typeof SCOPES)[number];

/**
 * `account` (spec §11): managing the account itself (revoking authorizations, creating and
 * revoking keys, the export). It exists only for personal keys; no application can hold it.
 */
export const ACCOUNT_SCOPE = 'account';
/** Every scope a personal key may carry; a session holds all of them. */
export const KEY_SCOPES = [...SCOPES, ACCOUNT_SCOPE] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** Scopes only an application token can use: a personal key names no application (spec §2). */
const APP_ONLY_SCOPES: ReadonlySet<string> = new Set(['metadata.read', 'metadata.write']);

/** What a personal key can ever use: the /settings key form offers these alone. */
export const PERSONAL_KEY_SCOPES: readonly KeyScope[] = KEY_SCOPES.filter(
  (scope) => !APP_ONLY_SCOPES.has(scope),
);

const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);
const KEY_SCOPE_SET: ReadonlySet<string> = new Set(KEY_SCOPES);

/** Plain-language descriptions for the consent page and the docs. */
export const SCOPE_DESCRIPTIONS: Record<KeyScope, string> = {
  account:
    'Manage your account: revoke apps, create and revoke keys, export all your data. Anyone holding a key with it can do all of that.',
  profile: 'See your name and email address',
  'data:read': 'Read your activities, traces and tests',
  'data:write': 'Create, change and delete your activities, traces and tests',
  'metadata.read': 'Read the data this app keeps for you',
  'metadata.write': 'Store and delete data this app keeps for you',
};

export function isScope(value: string): value is Scope {
  return SCOPE_SET.has(value);
}

/**
 * Parses an RFC 6749 §3.3 scope string (space-delimited). Returns null when any token is not a
 * known scope, so callers can reject rather than silently drop.
 */
export function parseScopeString(value: string): Scope[] | null {
  return parseFrom(value, SCOPE_SET) as Scope[] | null;
}

/** The same for the scope claim of a personal key, which may also carry `account`. */
export function parseKeyScopeString(value: string): KeyScope[] | null {
  return parseFrom(value, KEY_SCOPE_SET) as KeyScope[] | null;
}

function parseFrom(value: string, known: ReadonlySet<string>): string[] | null {
  const parts = value.split(' ').filter((part) => part.length > 0);
  const scopes: string[] = [];
  for (const part of parts) {
    if (!known.has(part)) return null;
    if (!scopes.includes(part)) scopes.push(part);
  }
  return scopes;
}

/** Canonical order (as in SCOPES) joined by spaces. */
export function formatScopes(scopes: Iterable<KeyScope>): string {
  const set = new Set<string>(scopes);
  return KEY_SCOPES.filter((scope) => set.has(scope)).join(' ');
}
