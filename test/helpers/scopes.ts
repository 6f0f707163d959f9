import type { KeyScope, Scope } from '../../src/auth/scopes';

export const ALL_SCOPES: Scope[] = [
  'profile',
  'data:read',
  'data:write',
  'metadata.read',
  'metadata.write',
];

/** Every scope a personal key may carry: the app scopes and `account` (spec §11). */
export const ALL_KEY_SCOPES: KeyScope[] = [...ALL_SCOPES, 'account'];
