/** Worker entry: the HTTP API and the scheduled purge. Exports nothing else. */
import { buildApp } from './app';
import type { Bindings } from './env';
import { purgeExpiredMetadata } from './jobs/purge-metadata';
import { Database } from './storage/db';

const app = buildApp();

export default {
  fetch: app.fetch,
  /** Cron Trigger (wrangler.toml): purges expired v2 metadata entries in bounded chunks. */
  async scheduled(controller, env, _ctx) {
    const now = Math.floor(Date.now() / 1000);
    try {
      const report = await purgeExpiredMetadata(new Database(env.DB), now);
      // Counts only: never keys or values.
      console.log(JSON.stringify({ event: 'metadata_purge', cron: controller.cron, ...report }));
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
