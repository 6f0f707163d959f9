import type { Scope } from '../../src/auth/scopes';

export const ALL_SCOPES: Scope[] = [
  'profile',
  'data:read',
  'data:write',
  'metadata.read',
  'metadata.write',
];
