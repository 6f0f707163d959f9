/**
 * Retention of the change feed (spec §13: at least 7 days, CHANGES_RETENTION_DAYS) and of the
 * webhook delivery log, which follows the same period. Deletes in bounded chunks, oldest
 * first, a bounded number per run, like the metadata purge.
 */
import {
  CHANGES_MIN_RETENTION_DAYS,
  CHANGES_PURGE_CHUNK_ROWS,
  CHANGES_PURGE_MAX_CHUNKS_PER_RUN,
} from '../config';
import { purgeChangesChunk } from '../storage/change-feed';
import type { Database } from '../storage/db';
import { purgeDeliveriesChunk } from '../storage/webhook-deliveries';
import type { PurgeLimits, PurgeReport } from './purge-metadata';

/** CHANGES_RETENTION_DAYS as a whole number of days, never below the spec's 7. */
export function retentionDays(value: string | undefined): number {
  const days = /^\d{1,4}$/.test(value ?? '') ? Number(value) : CHANGES_MIN_RETENTION_DAYS;
  return Math.max(days, CHANGES_MIN_RETENTION_DAYS);
}

export async function purgeOldChanges(
  db: Database,
  now: number,
  days: number,
  limits: PurgeLimits = {
    chunkRows: CHANGES_PURGE_CHUNK_ROWS,
    maxChunks: CHANGES_PURGE_MAX_CHUNKS_PER_RUN,
  },
): Promise<PurgeReport> {
  const cutoff = now - days * 86_400;
  let deleted = 0;
  for (let chunks = 1; chunks <= limits.maxChunks; chunks += 1) {
    const removed = await purgeChangesChunk(db, cutoff, limits.chunkRows);
    deleted += removed;
    if (removed < limits.chunkRows) return { deleted, chunks, complete: true };
  }
  return { deleted, chunks: limits.maxChunks, complete: false };
}

/** Deletes delivery attempts older than the retention period, in the same bounded chunks. */
export async function purgeOldDeliveries(db: Database, now: number, days: number): Promise<number> {
  const cutoff = now - days * 86_400;
  let deleted = 0;
  for (let chunks = 1; chunks <= CHANGES_PURGE_MAX_CHUNKS_PER_RUN; chunks += 1) {
    const removed = await purgeDeliveriesChunk(db, cutoff, CHANGES_PURGE_CHUNK_ROWS);
    deleted += removed;
    if (removed < CHANGES_PURGE_CHUNK_ROWS) break;
  }
  return deleted;
}
