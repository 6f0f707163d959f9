/**
 * Erasure tells each app the user had authorized (spec §13, §15): `authorization.revoked` is
 * recorded in the erasure's own batch, and webhook delivery, which reads the event after the
 * commit, still finds it although the user is gone, signs it and posts it. Events of the user
 * that were queued before the erasure are dropped, not delivered.
 */
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eraseOwn, erasableAccount } from '../helpers/erasure';
import { RecordingQueue, consume, registerEndpoint } from '../helpers/webhooks';
import { call } from '../helpers/worker';

// Each test signs an account in and hashes passwords with PBKDF2 (100,000 iterations) several
// times, which takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  vi.restoreAllMocks();
});

function stubFetch() {
  const requests: Request[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    requests.push(new Request(input as RequestInfo, init));
    return new Response(null, { status: 204 });
  });
  return requests;
}

/**
 * An erasable account whose two apps each have an endpoint (own URL) and, after it, one v2
 * write each; everything committed so far pumped, the messages for these endpoints returned.
 */
async function withEndpoints() {
  const setup = await erasableAccount();
  const endpoints = [];
  for (const app of setup.apps) {
    endpoints.push(
      await registerEndpoint(app.clientId, { url: `https://hooks.example.com/${app.clientId}` }),
    );
  }
  for (const token of setup.tokens) {
    await call('/api/v2/metadata/k', { method: 'PUT', token, json: { value: 'v' } });
  }
  const earlier = await pumped(endpoints.map((endpoint) => endpoint.id));
  return { setup, endpoints, earlier };
}

async function pumped(endpointIds: string[]) {
  const queue = new RecordingQueue();
  await consume([{ body: { kind: 'pump' } }], { WEBHOOK_QUEUE: queue });
  return queue.deliveries().filter((message) => endpointIds.includes(message.endpoint_id));
}

describe('authorization.revoked on erasure', () => {
  it('wakes the outbox and delivers one signed event to each authorized app after the user is gone', async () => {
    const { setup, endpoints } = await withEndpoints();
    const queue = new RecordingQueue();
    const body = { password: setup.account.password };
    const response = await eraseOwn(setup.browser, body, {}, { WEBHOOK_QUEUE: queue });
    expect(response.status).toBe(204);
    expect(queue.sent).toStrictEqual([{ kind: 'pump' }]);
    const messages = await pumped(endpoints.map((endpoint) => endpoint.id));
    expect(messages.length).toBe(2);
    const requests = stubFetch();
    const result = await consume(messages.map((message) => ({ body: message })));
    expect(result.explicitAcks.length).toBe(2);
    const verified = [];
    for (const endpoint of endpoints) {
      const request = requests.find((candidate) => candidate.url === endpoint.url);
      if (request === undefined) throw new Error(`nothing posted to ${endpoint.url}`);
      const text = await request.text();
      verified.push(new Webhook(endpoint.secret).verify(text, Object.fromEntries(request.headers)));
    }
    const notice = {
      id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      type: 'authorization.revoked',
      timestamp: expect.stringMatching(/Z$/),
      data: { user_id: setup.account.id },
    };
    expect(verified).toStrictEqual([notice, notice]);
  });

  it('drops deliveries of the user’s earlier events that were queued before the erasure', async () => {
    const { setup, earlier } = await withEndpoints();
    expect(earlier.length).toBeGreaterThanOrEqual(2);
    expect((await eraseOwn(setup.browser, { password: setup.account.password })).status).toBe(204);
    const requests = stubFetch();
    const result = await consume(earlier.map((message) => ({ body: message })));
    expect(result.explicitAcks.length).toBe(earlier.length);
    expect(requests).toStrictEqual([]);
  });
});
