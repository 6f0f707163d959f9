/**
 * The Cron Trigger's work (wrangler.toml): purge expired v2 metadata entries, prune the index
 * rows of expired cached views, purge expired Idempotency-Key records and identity rows
 * (sessions, pending requests, codes, refresh tokens, failure counters), delete change records
 * past the feed's retention, then hand the changes whose queue send failed to the webhook
 * queue. Each step is bounded; each logs counts only, never
 * keys, values or tokens. A D1 failure is logged and rethrown so the run shows as failed.
 */
import { IDEMPOTENCY_PURGE_CHUNK_ROWS, IDEMPOTENCY_PURGE_MAX_CHUNKS_PER_RUN } from '../config';
import { logEvent } from '../log';
import type { Database } from '../storage/db';
import { purgeExpiredIdentity } from './purge-identity';
import { purgeExpiredKeysChunk } from '../storage/idempotency-keys';
import { purgeOldChanges, purgeOldDeliveries } from './purge-changes';
import { pruneExpiredViews } from './prune-view-index';
import { purgeExpiredMetadata, purgeInChunks } from './purge-metadata';

type Step = { event: string; run: () => Promise<Record<string, unknown>> };

/** What the scheduled run reads from its environment. */
export interface ScheduledOptions {
  /** Whole days the change feed keeps events. */
  changesRetentionDays: number;
  /** Hands undelivered changes to the webhook queue; returns the messages sent. */
  sweepOutbox: () => Promise<number>;
}

export async function runScheduledJobs(
  db: Database,
  now: number,
  cron: string,
  options: ScheduledOptions,
): Promise<void> {
  const steps: Step[] = [
    { event: 'metadata_purge', run: async () => ({ ...(await purgeExpiredMetadata(db, now)) }) },
    { event: 'view_index_prune', run: async () => pruneExpiredViews(db, now) },
    {
      // spec §14: Idempotency-Key records live 24 h; bounded chunks like the metadata purge.
      event: 'idempotency_key_purge',
      run: async () => ({
        ...(await purgeInChunks((rows) => purgeExpiredKeysChunk(db, now, rows), {
          chunkRows: IDEMPOTENCY_PURGE_CHUNK_ROWS,
          maxChunks: IDEMPOTENCY_PURGE_MAX_CHUNKS_PER_RUN,
        })),
      }),
    },
    { event: 'identity_purge', run: async () => ({ ...(await purgeExpiredIdentity(db, now)) }) },
    {
      event: 'changes_purge',
      run: async () => ({ ...(await purgeOldChanges(db, now, options.changesRetentionDays)) }),
    },
    {
      event: 'webhook_deliveries_purge',
      run: async () => ({ ...(await purgeOldDeliveries(db, now, options.changesRetentionDays)) }),
    },
    { event: 'webhook_outbox_sweep', run: async () => ({ sent: await options.sweepOutbox() }) },
  ];
  for (const step of steps) {
    try {
      logEvent('info', step.event, { cron, ...(await step.run()) });
    } catch (error) {
      const cause = error instanceof Error ? error.name : 'unknown';
      logEvent('error', `${step.event}_failed`, { cron, cause });
      throw error;
    }
  }
}
