/**
 * Coach, a third-party app on appmeta: signs people in through appmeta with
 * `@appmeta/client/hono`, lists their activities, tags each with a training plan in its own
 * app metadata (`update`: read, change, write with If-Match, retried on a conflict), and shows
 * the webhook events appmeta sends it, live, over server-sent events.
 */
import { Appmeta, type FetchLike } from '@appmeta/client';
import { type AppmetaEnv, type TokenStore, appmeta, requireLogin } from '@appmeta/client/hono';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import type { CoachConfig } from './config.js';
import type { EventHub } from './event-hub.js';
import {
  EVENTS_SCRIPT,
  HomePage,
  PLANS,
  type Plan,
  SignedOutPage,
  describeEvent,
} from './pages.js';

const WEBHOOK_BODY_MAX_BYTES = 64 * 1024;
const KEEPALIVE_MS = 15_000;

export interface CoachDeps {
  config: CoachConfig;
  store: TokenStore;
  hub: EventHub;
  /** The signing secret of this app's webhook endpoint, once registered. */
  webhookSecret: () => string | undefined;
  /** How to reach appmeta (default: the global fetch). */
  fetch?: FetchLike | undefined;
}

export function coachApp({ config, store, hub, webhookSecret, fetch }: CoachDeps) {
  const app = new Hono<AppmetaEnv>();
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'unsafe-inline'"] },
    }),
  );
  app.use(
    appmeta({
      baseUrl: config.baseUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      redirectUri: `${config.publicUrl}/callback`,
      scope: ['profile', 'data:read', 'data:write'],
      store,
      fetch,
    }),
  );

  app.get('/', async (c) => {
    const client = c.var.appmeta;
    if (client === undefined) return c.html(<SignedOutPage />);
    const profile = await client.profile.get();
    const activities = [];
    for await (const activity of client.activities.list({ limit: 50 })) {
      activities.push(activity);
      if (activities.length === 50) break;
    }
    return c.html(
      <HomePage profile={profile} activities={activities} events={hub.recentFor(profile.id)} />,
    );
  });

  app.post('/activities/:id/plan', requireLogin(), async (c) => {
    const form = await c.req.parseBody();
    const plan = form.plan;
    if (typeof plan !== 'string' || !PLANS.includes(plan as Plan))
      return c.text('Unknown plan', 400);
    // update() re-reads and retries on 412, so a plan set elsewhere meanwhile is never lost.
    await c.var.appmeta.activities.appMetadata.update(c.req.param('id'), (current) => ({
      ...current,
      plan,
      tagged_at: new Date().toISOString(),
    }));
    return c.redirect('/', 303);
  });

  app.get('/events.js', (c) => c.body(EVENTS_SCRIPT, 200, { 'Content-Type': 'text/javascript' }));

  app.get('/events', requireLogin(), async (c) => {
    const profile = await c.var.appmeta.profile.get();
    return streamSSE(c, async (stream) => {
      const stop = hub.watch(profile.id, (received) => {
        void stream.writeSSE({ event: 'change', data: describeEvent(received) });
      });
      stream.onAbort(stop);
      while (!stream.aborted) await stream.sleep(KEEPALIVE_MS);
      stop();
    });
  });

  const verifier = new Appmeta({ baseUrl: config.baseUrl });
  app.post('/webhooks', async (c) => {
    const secret = webhookSecret();
    const body = await c.req.text();
    if (secret === undefined) return c.text('Not ready', 503);
    if (new TextEncoder().encode(body).length > WEBHOOK_BODY_MAX_BYTES)
      return c.text('Too large', 413);
    let event;
    try {
      // Standard Webhooks: the signature covers id, timestamp and the raw body.
      event = verifier.webhooks.verify(body, c.req.raw.headers, secret);
    } catch {
      return c.text('Bad signature', 400);
    }
    hub.publish(event);
    return c.body(null, 204);
  });

  return app;
}
