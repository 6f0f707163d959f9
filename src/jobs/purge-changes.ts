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
import { type PurgeLimits, type PurgeReport, purgeInChunks } from './purge-metadata';

const LIMITS: PurgeLimits = {
  chunkRows: CHANGES_PURGE_CHUNK_ROWS,
  maxChunks: CHANGES_PURGE_MAX_CHUNKS_PER_RUN,
};

/** CHANGES_RETENTION_DAYS as a whole number of days, never below the spec's 7. */
export function retentionDays(value: string | undefined): number {
  const days = /^\d{1,4}$/.test(value ?? '') ? Number(value) : CHANGES_MIN_RETENTION_DAYS;
  return Math.max(days, CHANGES_MIN_RETENTION_DAYS);
}

/** Deletes changes older than `days`, raising the feed's purge watermark with each chunk. */
export function purgeOldChanges(db: Database, now: number, days: number): Promise<PurgeReport> {
  const cutoff = now - days * 86_400;
  return purgeInChunks((limit) => purgeChangesChunk(db, cutoff, limit), LIMITS);
}

/** Deletes delivery attempts older than `days`. */
export function purgeOldDeliveries(db: Database, now: number, days: number): Promise<PurgeReport> {
  const cutoff = now - days * 86_400;
  return purgeInChunks((limit) => purgeDeliveriesChunk(db, cutoff, limit), LIMITS);
}
