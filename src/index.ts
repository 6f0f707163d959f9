/** Worker entry: the HTTP API and the scheduled purges. Exports nothing else. */
import { buildApp } from './app';
import type { Bindings } from './env';
import { retentionDays } from './jobs/purge-changes';
import { runScheduledJobs } from './jobs/scheduled';
import { Database } from './storage/db';

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, _ctx) {
    await runScheduledJobs(new Database(env.DB), Math.floor(Date.now() / 1000), controller.cron, {
      changesRetentionDays: retentionDays(env.CHANGES_RETENTION_DAYS),
    });
  },
} satisfies ExportedHandler<Bindings>;
