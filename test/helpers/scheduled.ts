/** Runs the Worker's scheduled handler as the Cron Trigger would, and waits for it. */
import { env } from 'cloudflare:workers';
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';

export async function runScheduled(bindings: Record<string, unknown> = {}): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }),
    { ...(env as unknown as Bindings), ...bindings } as Bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}
