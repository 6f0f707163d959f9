/** Registers webhook endpoints and drives the queue consumer for webhook tests (spec §13). */
import { env } from 'cloudflare:workers';
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import type { DeliveryMessage } from '../../src/services/webhook-delivery';
import { type CallOptions, call } from './worker';

export const ADMIN = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

export const webhooksPath = (clientId: string) => `/api/v1/admin/applications/${clientId}/webhooks`;

export interface CreatedEndpoint {
  id: string;
  url: string;
  events: string[];
  secret: string;
  created_at: string;
  status: string;
}

/** Registers an endpoint through the admin API; fails the test unless it is a 201. */
export async function registerEndpoint(
  clientId: string,
  json: Record<string, unknown> = { url: 'https://hooks.example.com/appmeta' },
  options: CallOptions = {},
): Promise<CreatedEndpoint> {
  const response = await call(webhooksPath(clientId), {
    method: 'POST',
    headers: ADMIN,
    json,
    ...options,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedEndpoint;
}

/** A queue double that records what the Worker sends, or throws when told to. */
export class RecordingQueue {
  sent: DeliveryMessage[] = [];
  failing = false;

  async send(body: DeliveryMessage): Promise<void> {
    if (this.failing) throw new Error('queue unavailable');
    this.sent.push(body);
  }

  async sendBatch(messages: Iterable<{ body: DeliveryMessage }>): Promise<void> {
    if (this.failing) throw new Error('queue unavailable');
    for (const message of messages) this.sent.push(message.body);
  }

  deliveries() {
    return this.sent.filter((message) => message.kind === 'deliver');
  }
}

export interface ConsumedMessage {
  body: DeliveryMessage;
  attempts?: number;
}

/** Runs the Worker's queue consumer on one batch and returns what it acked and retried. */
export async function consume(messages: ConsumedMessage[], bindings: Record<string, unknown> = {}) {
  const batch = createMessageBatch<DeliveryMessage>(
    'appmeta-webhooks',
    messages.map((message, index) => ({
      id: `msg-${index}`,
      timestamp: new Date(),
      attempts: message.attempts ?? 1,
      body: message.body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(
    batch as MessageBatch<unknown>,
    { ...(env as unknown as Bindings), ...bindings } as Bindings,
    ctx,
  );
  return getQueueResult(batch, ctx);
}
