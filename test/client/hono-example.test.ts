/**
 * examples/coach-app against the real Worker: the sign-in, the activity list, tagging a plan
 * with update(), and the webhook the Worker signs for that write, delivered by the queue
 * consumer to the app's /webhooks, verified there and pushed to the page over SSE.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryTokenStore } from '../../packages/client/src/hono';
import { coachApp } from '../../examples/coach-app/src/app';
import { EventHub } from '../../examples/coach-app/src/event-hub';
import { registerWebhookEndpoint } from '../../examples/coach-app/src/webhook-endpoint';
import { type Account, createAccount } from '../helpers/browser';
import { ISSUER, createApp, personalKey } from '../helpers/factories';
import { APP_ORIGIN, appBrowser, signIn } from '../helpers/third-party-app';
import { RecordingQueue, consume } from '../helpers/webhooks';
import { call, dispatch } from '../helpers/worker';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Coach for a new app and account, signed in, its webhook endpoint registered. */
async function signedInCoach() {
  const account = await createAccount();
  const app = await createApp();
  const queue = new RecordingQueue();
  // The Worker as Coach reaches it, with a queue that records the webhook wake-ups.
  const toWorker = (input: string | URL | Request, init?: RequestInit) =>
    dispatch(new Request(input, init), { WEBHOOK_QUEUE: queue });
  const owner = { baseUrl: ISSUER, clientId: app.clientId, clientSecret: app.secret };
  const secret = await registerWebhookEndpoint(owner, `${APP_ORIGIN}/webhooks`, toWorker);
  const hub = new EventHub();
  const coach = coachApp({
    config: { ...owner, port: 443, publicUrl: APP_ORIGIN },
    store: new MemoryTokenStore(),
    hub,
    webhookSecret: () => secret,
    fetch: toWorker as typeof fetch,
  });
  const browser = appBrowser(coach);
  await signIn(browser, account);
  return { account, coach, hub, queue, browser, secret };
}

/**
 * Creates an activity with a personal key. Its queue wake-up goes to `queue` too: sent to the
 * real queue, the consumer would pump the outbox on its own, ahead of the test.
 */
async function createActivity(account: Account, queue: RecordingQueue, name: string) {
  const { token } = await personalKey(account);
  const response = await call('/api/v1/activities', {
    method: 'POST',
    token,
    json: { sport: 'cycling.road', start: '2026-04-30T06:00:00Z', duration: 3600, name },
    bindings: { WEBHOOK_QUEUE: queue },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Runs the queue consumer (the outbox pump, then each delivery, posted to Coach): the statuses. */
async function deliverWebhooks(queue: RecordingQueue, coach: ReturnType<typeof coachApp>) {
  const bindings = { WEBHOOK_QUEUE: queue };
  await consume([{ body: { kind: 'pump' } }], bindings);
  const statuses: number[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const response = await coach.request(new Request(input as RequestInfo, init));
    statuses.push(response.status);
    return response;
  });
  await consume(
    queue.deliveries().map((body) => ({ body })),
    bindings,
  );
  return statuses;
}

function plans(html: string): string[] {
  return [...html.matchAll(/<td class="plan">([^<]*)<\/td>/g)].map((match) => match[1] ?? '');
}

describe('examples/coach-app', () => {
  it('shows a signed-out visitor the sign-in link', async () => {
    const { coach } = await signedInCoach();

    const response = await coach.request(`${APP_ORIGIN}/`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<a href="/login">Sign in with appmeta</a>');
  });

  it("lists the signed-in user's activities and tags one with a plan through update()", async () => {
    const { account, browser, queue } = await signedInCoach();
    const id = await createActivity(account, queue, 'Sweet spot');

    expect(plans(await (await browser.get('/')).text())).toStrictEqual(['—']);
    const tagged = await browser.post(`/activities/${id}/plan`, { plan: 'build' });

    expect(tagged.status).toBe(303);
    expect(tagged.headers.get('Location')).toBe('/');
    const page = await (await browser.get('/')).text();
    expect(page).toContain('Sweet spot');
    expect(plans(page)).toStrictEqual(['build']);
  });

  it('refuses a plan that is not one of its own with 400', async () => {
    const { account, browser, queue } = await signedInCoach();
    const id = await createActivity(account, queue, 'Recovery spin');

    const response = await browser.post(`/activities/${id}/plan`, { plan: '<script>' });

    expect(response.status).toBe(400);
    expect(plans(await (await browser.get('/')).text())).toStrictEqual(['—']);
  });

  it('receives the webhook the Worker signed for the tag, verifies it and streams it to the page', async () => {
    const { account, browser, coach, hub, queue } = await signedInCoach();
    const id = await createActivity(account, queue, 'Over-unders');
    const events = await browser.get('/events');
    expect(events.status).toBe(200);
    expect(events.headers.get('Content-Type')).toBe('text/event-stream');
    await browser.post(`/activities/${id}/plan`, { plan: 'peak' });

    const statuses = await deliverWebhooks(queue, coach);

    expect(statuses).toContain(204);
    const mine = hub.recentFor(account.id).map((item) => item.event);
    expect(mine).toContainEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'app_metadata.updated',
      timestamp: expect.any(String),
      data: {
        user_id: account.id,
        entity_type: 'activities',
        entity_id: id,
        etag: expect.any(String),
      },
    });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let streamed = '';
    while (!streamed.includes(`app_metadata.updated activities ${id}`)) {
      const { value, done } = await reader.read();
      if (done) break;
      streamed += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(streamed).toMatch(
      new RegExp(
        `event: change\\ndata: \\d\\d:\\d\\d:\\d\\d app_metadata.updated activities ${id}\\n`,
      ),
    );
  });

  it('answers a webhook whose signature does not verify with 400 and shows nothing', async () => {
    const { account, coach, hub } = await signedInCoach();
    const body = JSON.stringify({
      id: 'evt_forged',
      type: 'activity.deleted',
      timestamp: new Date().toISOString(),
      data: { user_id: account.id, entity_type: 'activities', entity_id: 'act_x' },
    });

    const response = await coach.request(`${APP_ORIGIN}/webhooks`, {
      method: 'POST',
      body,
      headers: {
        'webhook-id': 'evt_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': `v1,${btoa('not the signature')}`,
      },
    });

    expect(response.status).toBe(400);
    expect(hub.recentFor(account.id)).toStrictEqual([]);
  });
});
