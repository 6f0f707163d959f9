/**
 * The outbox loses nothing (spec §13): a queue send that throws after the D1 commit leaves
 * the change for the next pump or the scheduled sweep; and the write stays one round trip.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { runScheduled } from '../helpers/scheduled';
import { RecordingQueue, consume, registerEndpoint } from '../helpers/webhooks';
import { call, serverTiming } from '../helpers/worker';

async function endpointWithWrite(queue: RecordingQueue) {
  const { app, token } = await userWithApp();
  const endpoint = await registerEndpoint(app.clientId);
  const response = await call('/api/v2/metadata/k', {
    method: 'PUT',
    token,
    json: { value: 'v' },
    bindings: { WEBHOOK_QUEUE: queue },
  });
  return { endpoint, response };
}

const deliveredTo = (queue: RecordingQueue, endpointId: string) =>
  queue.deliveries().filter((message) => message.endpoint_id === endpointId);

describe('webhook outbox', () => {
  it('keeps a metadata PUT with an endpoint registered at one D1 round trip', async () => {
    const { response } = await endpointWithWrite(new RecordingQueue());
    expect(response.status).toBe(201);
    expect(serverTiming(response).d1).toBe(1);
  });

  it('loses nothing when the wake-up send throws: the scheduled sweep sends the event', async () => {
    const failing = new RecordingQueue();
    failing.failing = true;
    const { endpoint, response } = await endpointWithWrite(failing);
    expect(response.status).toBe(201);
    expect(failing.sent).toStrictEqual([]);
    const queue = new RecordingQueue();
    await runScheduled({ WEBHOOK_QUEUE: queue });
    expect(deliveredTo(queue, endpoint.id).length).toBe(1);
  });

  it('loses nothing when the pump’s send throws: the pump message is retried', async () => {
    const { endpoint } = await endpointWithWrite(new RecordingQueue());
    const failing = new RecordingQueue();
    failing.failing = true;
    const result = await consume([{ body: { kind: 'pump' } }], { WEBHOOK_QUEUE: failing });
    expect(result.retryMessages).toStrictEqual([{ msgId: 'msg-0' }]);
    const queue = new RecordingQueue();
    await consume([{ body: { kind: 'pump' } }], { WEBHOOK_QUEUE: queue });
    expect(deliveredTo(queue, endpoint.id).length).toBe(1);
    const again = new RecordingQueue();
    await consume([{ body: { kind: 'pump' } }], { WEBHOOK_QUEUE: again });
    expect(deliveredTo(again, endpoint.id)).toStrictEqual([]);
  });

  it('purges delivery attempts older than the retention period with the scheduled run', async () => {
    const { endpoint } = await endpointWithWrite(new RecordingQueue());
    const log = env.DB.prepare(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, attempt, status, http_status,
         duration_ms, next_retry_at, created_at) VALUES (?, ?, 1, 'failed', 500, 3, NULL, ?)`,
    );
    const now = Math.floor(Date.now() / 1000);
    await log.bind(endpoint.id, 'evt_old', 1).run();
    await log.bind(endpoint.id, 'evt_new', now).run();
    await runScheduled({ WEBHOOK_QUEUE: new RecordingQueue() });
    const { results } = await env.DB.prepare(
      'SELECT event_id FROM webhook_deliveries WHERE endpoint_id = ?',
    )
      .bind(endpoint.id)
      .all<{ event_id: string }>();
    expect(results).toStrictEqual([{ event_id: 'evt_new' }]);
  });
});
