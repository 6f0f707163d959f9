/**
 * Worker entry: the HTTP API, the scheduled purges and outbox sweep, and the webhook queue
 * consumer. Exports nothing else.
 */
import { buildApp } from './app';
import type { Bindings } from './env';
import { retentionDays } from './jobs/purge-changes';
import { runScheduledJobs } from './jobs/scheduled';
import {
  consumeBatch,
  deliveryDeps,
  pumpOutbox,
  type DeliveryMessage,
} from './services/webhook-delivery';
import { Database } from './storage/db';

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, _ctx) {
    await runScheduledJobs(new Database(env.DB), Math.floor(Date.now() / 1000), controller.cron, {
      changesRetentionDays: retentionDays(env.CHANGES_RETENTION_DAYS),
      // spec §13: changes whose queue send failed after their commit are sent now.
      sweepOutbox: () => pumpOutbox(deliveryDeps(env)),
    });
  },
  async queue(batch, env, _ctx) {
    await consumeBatch(deliveryDeps(env), batch as MessageBatch<DeliveryMessage>);
  },
} satisfies ExportedHandler<Bindings>;
