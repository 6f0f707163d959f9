/** Worker entry: the HTTP API and the scheduled purge. Exports nothing else. */
import { buildApp } from './app';
import type { Bindings } from './env';
import { pruneExpiredViews } from './jobs/prune-view-index';
import { purgeExpiredMetadata } from './jobs/purge-metadata';
import { Database } from './storage/db';

const app = buildApp();

export default {
  fetch: app.fetch,
  /**
   * Cron Trigger (wrangler.toml): purges expired v2 metadata entries and the index rows of
   * expired cached views, both in bounded chunks.
   */
  async scheduled(controller, env, _ctx) {
    const now = Math.floor(Date.now() / 1000);
    try {
      const db = new Database(env.DB);
      const report = await purgeExpiredMetadata(db, now);
      // Counts only: never keys or values.
      console.log(JSON.stringify({ event: 'metadata_purge', cron: controller.cron, ...report }));
      const views = await pruneExpiredViews(db, now);
      console.log(JSON.stringify({ event: 'view_index_prune', cron: controller.cron, ...views }));
    } catch (error) {
      console.error(
        JSON.stringify({
          event: 'metadata_purge_failed',
          cron: controller.cron,
          cause: error instanceof Error ? error.name : 'unknown',
        }),
      );
      throw error;
    }
  },
} satisfies ExportedHandler<Bindings>;
