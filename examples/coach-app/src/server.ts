/**
 * Runs Coach on Node: serves the app, then registers its /webhooks with appmeta so events
 * start arriving. Configuration comes from the environment (see config.ts).
 */
import { serve } from '@hono/node-server';
import { MemoryTokenStore } from '@appmeta/client/hono';
import { coachApp } from './app.js';
import { configFromEnv } from './config.js';
import { EventHub } from './event-hub.js';
import { registerWebhookEndpoint } from './webhook-endpoint.js';

const config = configFromEnv(process.env);
let webhookSecret: string | undefined;
const app = coachApp({
  config,
  store: new MemoryTokenStore(),
  hub: new EventHub(),
  webhookSecret: () => webhookSecret,
});

serve({ fetch: app.fetch, port: config.port, hostname: new URL(config.publicUrl).hostname }, () => {
  console.log(`Coach is at ${config.publicUrl} (appmeta: ${config.baseUrl})`);
});

try {
  webhookSecret = await registerWebhookEndpoint(config, `${config.publicUrl}/webhooks`);
  console.log(`Webhook endpoint registered: ${config.publicUrl}/webhooks`);
} catch (error) {
  console.error(`Could not register the webhook endpoint (events will not show): ${String(error)}`);
}
