/**
 * The scheduled purge of expired v2 metadata entries (spec §5). Deletes in bounded chunks, a
 * bounded number per run, so each statement stays within D1's parameter and time limits and a
 * run never grows with the backlog; what remains is purged by the next run and is never served
 * meanwhile, because every read checks expiry. Idempotent: a second run finds nothing to do.
 */
import { METADATA_PURGE_CHUNK_ROWS, METADATA_PURGE_MAX_CHUNKS_PER_RUN } from '../config';
import type { Database } from '../storage/db';
import { purgeExpiredChunk } from '../storage/metadata-entries';

export interface PurgeLimits {
  chunkRows: number;
  maxChunks: number;
}

export interface PurgeReport {
  deleted: number;
  chunks: number;
  /** False when the run stopped at maxChunks with (possibly) more expired rows left. */
  complete: boolean;
}

export const DEFAULT_PURGE_LIMITS: PurgeLimits = {
  chunkRows: METADATA_PURGE_CHUNK_ROWS,
  maxChunks: METADATA_PURGE_MAX_CHUNKS_PER_RUN,
};

/**
 * Runs `deleteChunk` (which deletes at most `limit` rows and returns how many) until a chunk
 * comes back short or `maxChunks` have run. Shared by every bounded purge.
 */
export async function purgeInChunks(
  deleteChunk: (limit: number) => Promise<number>,
  limits: PurgeLimits,
): Promise<PurgeReport> {
  let deleted = 0;
  for (let chunks = 1; chunks <= limits.maxChunks; chunks += 1) {
    const removed = await deleteChunk(limits.chunkRows);
    deleted += removed;
    if (removed < limits.chunkRows) return { deleted, chunks, complete: true };
  }
  return { deleted, chunks: limits.maxChunks, complete: false };
}

/** Purges entries expired at `now`; stops early once a chunk comes back short. */
export function purgeExpiredMetadata(
  db: Database,
  now: number,
  limits: PurgeLimits = DEFAULT_PURGE_LIMITS,
): Promise<PurgeReport> {
  return purgeInChunks((limit) => purgeExpiredChunk(db, now, limit), limits);
}
