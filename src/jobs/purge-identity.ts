/**
 * The scheduled purge of expired identity rows (sessions, pending authorization requests,
 * codes, refresh tokens, throttle counters). Moved here from /oauth/authorize, which used to
 * run an unbounded DELETE on every hit. Chunks of IDENTITY_PURGE_CHUNK_ROWS per table, at most
 * IDENTITY_PURGE_MAX_CHUNKS_PER_RUN per run, stopping once every table came back short; what
 * remains waits for the next run and is never used meanwhile (every read checks expiry).
 */
import { IDENTITY_PURGE_CHUNK_ROWS, IDENTITY_PURGE_MAX_CHUNKS_PER_RUN } from '../config';
import type { Database } from '../storage/db';
import { purgeExpiredIdentityChunk } from '../storage/identity-purge';
import type { PurgeLimits, PurgeReport } from './purge-metadata';

export const IDENTITY_PURGE_LIMITS: PurgeLimits = {
  chunkRows: IDENTITY_PURGE_CHUNK_ROWS,
  maxChunks: IDENTITY_PURGE_MAX_CHUNKS_PER_RUN,
};

export async function purgeExpiredIdentity(
  db: Database,
  now: number,
  limits: PurgeLimits = IDENTITY_PURGE_LIMITS,
): Promise<PurgeReport> {
  let deleted = 0;
  for (let chunks = 1; chunks <= limits.maxChunks; chunks += 1) {
    const counts = await purgeExpiredIdentityChunk(db, now, limits.chunkRows);
    deleted += counts.reduce((total, count) => total + count, 0);
    if (counts.every((count) => count < limits.chunkRows))
      return { deleted, chunks, complete: true };
  }
  return { deleted, chunks: limits.maxChunks, complete: false };
}
