/**
 * Webhook delivery through the queue (spec §13): the outbox pump, Standard Webhooks signing
 * (verified with the `standardwebhooks` package), retries with backoff, the delivery log,
 * the 3-day disable, rotation overlap, and no redirects followed.
 */
import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DELIVERY_MAX_ATTEMPTS } from '../../src/services/webhook-delivery';
import { userWithApp } from '../helpers/factories';
import {
  ADMIN,
  RecordingQueue,
  consume,
  registerEndpoint,
  webhooksPath,
} from '../helpers/webhooks';
import { call } from '../helpers/worker';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A user whose app has an endpoint and one committed metadata.updated event, pumped. */
async function pumpedEvent(json: Record<string, unknown> = {}) {
  const queue = new RecordingQueue();
  const bindings = { WEBHOOK_QUEUE: queue };
  const { user, app, token } = await userWithApp();
  const endpoint = await registerEndpoint(app.clientId, {
    url: 'https://hooks.example.com/appmeta',
    ...json,
  });
  const put = await call('/api/v2/metadata/plan', {
    method: 'PUT',
    token,
    json: { value: 'base' },
    bindings,
  });
  expect(put.status).toBe(201);
  expect(queue.sent).toStrictEqual([{ kind: 'pump' }]);
  await consume([{ body: { kind: 'pump' } }], bindings);
  const mine = queue.deliveries().filter((message) => message.endpoint_id === endpoint.id);
  return { user, app, token, endpoint, queue, bindings, messages: mine };
}

/** Stubs outbound fetch with the given statuses in turn; records each request. */
function stubFetch(...statuses: number[]) {
  const requests: Request[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    requests.push(request);
    const status = statuses.shift() ?? 200;
    const headers: Record<string, string> = status === 302 ? { Location: 'https://x/' } : {};
    return new Response(status === 204 ? null : 'ok', { status, headers });
  });
  return { requests, spy };
}

/** Seconds between an attempt and the retry it scheduled, from the delivery log. */
function retryDelayOf(row: Record<string, unknown> | undefined): number {
  return (Date.parse(String(row?.next_retry_at)) - Date.parse(String(row?.created_at))) / 1000;
}

async function deliveriesOf(clientId: string, endpointId: string) {
  const response = await call(`${webhooksPath(clientId)}/${endpointId}/deliveries`, {
    headers: ADMIN,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Record<string, unknown>[] }).data;
}

describe('webhook outbox', () => {
  it('queues one delivery per event for each matching endpoint of the receiving app', async () => {
    const { messages } = await pumpedEvent();
    expect(messages).toStrictEqual([
      {
        kind: 'deliver',
        event_id: expect.stringMatching(/^evt_/),
        endpoint_id: expect.any(String),
      },
    ]);
  });

  it('queues nothing for an endpoint whose events filter leaves the type out', async () => {
    const { messages } = await pumpedEvent({ events: ['activity.created'] });
    expect(messages).toStrictEqual([]);
  });
});

describe('webhook delivery', () => {
  it('posts the event signed so that standardwebhooks verifies it, and logs it delivered', async () => {
    const { user, app, endpoint, messages, bindings } = await pumpedEvent();
    const { requests } = stubFetch(204);
    const result = await consume([{ body: messages[0]! }], bindings);
    expect(result.explicitAcks).toStrictEqual(['msg-0']);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(endpoint.url);
    expect(request.redirect).toBe('manual');
    const body = await request.text();
    const headers = Object.fromEntries(request.headers);
    const verified = new Webhook(endpoint.secret).verify(body, headers);
    expect(verified).toStrictEqual({
      id: messages[0]!.kind === 'deliver' ? messages[0]!.event_id : '',
      type: 'metadata.updated',
      timestamp: expect.stringMatching(/Z$/),
      data: { user_id: user.id, key: 'plan' },
    });
    expect(headers['webhook-id']).toBe((verified as { id: string }).id);
    expect(await deliveriesOf(app.clientId, endpoint.id)).toStrictEqual([
      {
        event_id: (verified as { id: string }).id,
        status: 'delivered',
        http_status: 204,
        duration_ms: expect.any(Number),
        attempt: 1,
        next_retry_at: null,
        created_at: expect.any(String),
      },
    ]);
  });

  it('retries a failure with backoff and delivers on the next attempt', async () => {
    const { app, endpoint, messages, bindings } = await pumpedEvent();
    stubFetch(500, 200);
    const first = await consume([{ body: messages[0]! }], bindings);
    expect(first.retryMessages).toStrictEqual([{ msgId: 'msg-0' }]);
    const second = await consume([{ body: messages[0]!, attempts: 2 }], bindings);
    expect(second.explicitAcks).toStrictEqual(['msg-0']);
    const log = await deliveriesOf(app.clientId, endpoint.id);
    expect(log.map((row) => [row.attempt, row.status, row.http_status])).toStrictEqual([
      [2, 'delivered', 200],
      [1, 'pending', 500],
    ]);
    expect(retryDelayOf(log[1])).toBe(300);
  });

  it('uses WEBHOOK_RETRY_BASE_SECONDS so development retries within 10 s', async () => {
    const { app, endpoint, messages, bindings } = await pumpedEvent();
    stubFetch(503);
    const result = await consume([{ body: messages[0]! }], {
      ...bindings,
      WEBHOOK_RETRY_BASE_SECONDS: '5',
    });
    expect(result.retryMessages).toStrictEqual([{ msgId: 'msg-0' }]);
    expect(retryDelayOf((await deliveriesOf(app.clientId, endpoint.id))[0])).toBe(5);
  });

  it('never follows a redirect: a 302 is a failed attempt', async () => {
    const { messages, bindings } = await pumpedEvent();
    const { requests } = stubFetch(302);
    const result = await consume([{ body: messages[0]! }], bindings);
    expect(requests.length).toBe(1);
    expect(result.retryMessages.length).toBe(1);
  });

  it('records the last attempt as failed and acks it', async () => {
    const { app, endpoint, messages, bindings } = await pumpedEvent();
    stubFetch(500);
    const result = await consume(
      [{ body: messages[0]!, attempts: DELIVERY_MAX_ATTEMPTS }],
      bindings,
    );
    expect(result.explicitAcks).toStrictEqual(['msg-0']);
    const [row] = await deliveriesOf(app.clientId, endpoint.id);
    expect([row?.status, row?.attempt, row?.next_retry_at]).toStrictEqual([
      'failed',
      DELIVERY_MAX_ATTEMPTS,
      null,
    ]);
  });

  it('disables an endpoint that has been failing for 3 days', async () => {
    const { app, endpoint, messages, bindings } = await pumpedEvent();
    const fourDaysAgo = Math.floor(Date.now() / 1000) - 4 * 86_400;
    await env.DB.prepare('UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?')
      .bind(fourDaysAgo, endpoint.id)
      .run();
    stubFetch(500);
    await consume([{ body: messages[0]! }], bindings);
    const list = await call(webhooksPath(app.clientId), { headers: ADMIN });
    expect(((await list.json()) as { data: { status: string }[] }).data[0]?.status).toBe(
      'disabled',
    );
    const { requests } = stubFetch(200);
    const later = await consume([{ body: messages[0]!, attempts: 2 }], bindings);
    expect(requests.length).toBe(0);
    expect(later.explicitAcks).toStrictEqual(['msg-0']);
  });

  it('signs with both secrets during a rotation’s overlap', async () => {
    const { app, endpoint, messages, bindings } = await pumpedEvent();
    const rotated = await call(`${webhooksPath(app.clientId)}/${endpoint.id}/secret`, {
      method: 'POST',
      headers: ADMIN,
    });
    const { secret } = (await rotated.json()) as { secret: string };
    const { requests } = stubFetch(200);
    await consume([{ body: messages[0]! }], bindings);
    const body = await requests[0]!.text();
    const headers = Object.fromEntries(requests[0]!.headers);
    expect(headers['webhook-signature']?.split(' ').length).toBe(2);
    expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(endpoint.secret).verify(body, headers)).toBeTruthy();
  });

  it('queues a manual retry with 202', async () => {
    const { app, endpoint, messages, queue, bindings } = await pumpedEvent();
    const eventId = messages[0]!.kind === 'deliver' ? messages[0]!.event_id : '';
    const path = `${webhooksPath(app.clientId)}/${endpoint.id}/deliveries/${eventId}/retry`;
    const response = await call(path, { method: 'POST', headers: ADMIN, bindings });
    expect(response.status).toBe(202);
    expect(await response.json()).toStrictEqual({ event_id: eventId, status: 'pending' });
    expect(queue.sent.at(-1)).toStrictEqual({
      kind: 'deliver',
      event_id: eventId,
      endpoint_id: endpoint.id,
    });
    const unknown = await call(path.replace(eventId, 'evt_nope'), {
      method: 'POST',
      headers: ADMIN,
      bindings,
    });
    expect(unknown.status).toBe(404);
  });
});
