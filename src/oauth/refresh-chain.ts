/**
 * The absolute lifetime of a refresh-token chain (RFC 9700 §4.14.2 lets a server bound it).
 * The chain's start is written into its family id when the authorization code is issued
 * (`rtf_<unix seconds>_<random>`): every token of the chain copies the family id, so the
 * start survives rotation and the purge of old rows without a column of its own.
 */
import { REFRESH_CHAIN_MAX_LIFETIME_SECONDS, REFRESH_TOKEN_TTL_SECONDS } from '../config';
import { randomToken } from '../ids';

const FAMILY_ID = /^rtf_(\d{1,12})_[A-Za-z0-9_-]+$/;

/** A new chain's family id, carrying its start. */
export function newFamilyId(now: number): string {
  return `rtf_${now}_${randomToken(16)}`;
}

/**
 * When the chain ends (unix seconds), or null when the family id carries no start: a chain
 * begun before chains had a lifetime, which is treated as already over (the app signs the
 * user in again, without consent while the grant stands).
 */
export function chainEndsAt(familyId: string): number | null {
  const start = FAMILY_ID.exec(familyId)?.[1];
  return start === undefined ? null : Number(start) + REFRESH_CHAIN_MAX_LIFETIME_SECONDS;
}

/** A new refresh token's expiry: the usual lifetime, never past the end of its chain. */
export function refreshExpiry(now: number, chainEnd: number): number {
  return Math.min(now + REFRESH_TOKEN_TTL_SECONDS, chainEnd);
}
