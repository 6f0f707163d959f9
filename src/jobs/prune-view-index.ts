/**
 * Prunes rows of the cached-view index (cached_views) whose KV entries have expired, in
 * bounded chunks per run, so the index stays about as large as the live cache.
 */
import { VIEW_INDEX_PRUNE_CHUNK_ROWS, VIEW_INDEX_PRUNE_MAX_CHUNKS_PER_RUN } from '../config';
import { pruneViewIndex } from '../storage/cached-views';
import type { Database } from '../storage/db';

export async function pruneExpiredViews(db: Database, now: number): Promise<{ deleted: number }> {
  let deleted = 0;
  for (let chunk = 0; chunk < VIEW_INDEX_PRUNE_MAX_CHUNKS_PER_RUN; chunk += 1) {
    const removed = await pruneViewIndex(db, now);
    deleted += removed;
    if (removed < VIEW_INDEX_PRUNE_CHUNK_ROWS) break;
  }
  return { deleted };
}
