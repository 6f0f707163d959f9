/** The closed set of OAuth scopes (spec §2) and helpers to parse scope strings. */

export const SCOPES = [
  'profile',
  'data:read',
  'data:write',
  'metadata.read',
  'metadata.write',
] as const;

export type Scope = (typeof SCOPES)[number];

/** Scopes only an application token can use: personal keys name no application (spec §2). */
const APP_ONLY_SCOPES: ReadonlySet<Scope> = new Set(['metadata.read', 'metadata.write']);

/** What a personal API key can ever use; the /settings key form offers these alone. */
export const PERSONAL_KEY_SCOPES: readonly Scope[] = SCOPES.filter(
  (scope) => !APP_ONLY_SCOPES.has(scope),
);

const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);

/** Plain-language descriptions for the consent page and the docs. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
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
  const parts = value.split(' ').filter((part) => part.length > 0);
  const scopes: Scope[] = [];
  for (const part of parts) {
    if (!isScope(part)) return null;
    if (!scopes.includes(part)) scopes.push(part);
  }
  return scopes;
}

/** Canonical order (as in SCOPES) joined by spaces. */
export function formatScopes(scopes: Iterable<Scope>): string {
  const set = new Set(scopes);
  return SCOPES.filter((scope) => set.has(scope)).join(' ');
}
