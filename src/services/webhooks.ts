/**
 * Webhook endpoint management (spec §13, §17) for one application, whether the admin or the
 * application itself asks: create with a secret shown once, list without secrets, delete,
 * rotate with a 24 h overlap, enable or disable, the delivery log and a manual retry.
 */
import { ApiError } from '../errors';
import { EVENT_TYPES } from '../events/feed';
import { encryptSecret, importSecretsKey, newSigningSecret } from '../events/webhook-signing';
import { formatTimestamp } from '../entities/time';
import { newId } from '../ids';
import * as deliveries from '../storage/webhook-deliveries';
import * as store from '../storage/webhooks';
import type { EndpointRow } from '../storage/webhooks';
import type { DeliveryMessage } from './webhook-delivery';
import type { Database } from '../storage/db';

/** Both secrets sign for this long after a rotation (spec §13). */
export const ROTATION_OVERLAP_SECONDS = 24 * 3600;
const DELIVERY_LOG_MAX_ROWS = 100;

export interface WebhookContext {
  db: Database;
  now: number;
  secretsKey: string | undefined;
  queue: Queue<DeliveryMessage>;
}

export function endpointJson(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events === null ? [...EVENT_TYPES] : (JSON.parse(row.events) as string[]),
    created_at: formatTimestamp(row.created_at),
    status: row.status,
  };
}

function endpointMissing(): ApiError {
  return new ApiError('not_found', 'This application has no webhook endpoint with this id.');
}

function appMissing(): ApiError {
  return new ApiError('not_found', 'No application has this client_id.');
}

export async function createEndpoint(
  ctx: WebhookContext,
  clientId: string,
  input: { url: string; events: string[] | null },
) {
  const id = newId('whep');
  const secret = newSigningSecret();
  const key = await importSecretsKey(ctx.secretsKey);
  const row = await store.insertEndpoint(ctx.db, {
    id,
    clientId,
    url: input.url,
    events: input.events,
    secretEnc: await encryptSecret(key, id, secret),
    now: ctx.now,
  });
  if (row === null) throw appMissing();
  return { ...endpointJson(row), secret };
}

export async function listEndpoints(ctx: WebhookContext, clientId: string) {
  const rows = await store.listEndpoints(ctx.db, clientId);
  if (rows === null) throw appMissing();
  return rows.map(endpointJson);
}

export async function deleteEndpoint(ctx: WebhookContext, clientId: string, id: string) {
  if (!(await store.deleteEndpoint(ctx.db, clientId, id))) throw endpointMissing();
}

export async function rotateSecret(ctx: WebhookContext, clientId: string, id: string) {
  const secret = newSigningSecret();
  const key = await importSecretsKey(ctx.secretsKey);
  const row = await store.rotateEndpointSecret(
    ctx.db,
    { clientId, id },
    await encryptSecret(key, id, secret),
    ctx.now + ROTATION_OVERLAP_SECONDS,
  );
  if (row === null) throw endpointMissing();
  return { ...endpointJson(row), secret };
}

export async function setStatus(
  ctx: WebhookContext,
  clientId: string,
  id: string,
  status: 'active' | 'disabled',
) {
  const row = await store.setEndpointStatus(ctx.db, { clientId, id }, status);
  if (row === null) throw endpointMissing();
  return endpointJson(row);
}

export async function listDeliveries(ctx: WebhookContext, clientId: string, id: string) {
  const endpoint = await store.getEndpoint(ctx.db, clientId, id);
  if (endpoint === null) throw endpointMissing();
  const rows = await deliveries.listDeliveries(ctx.db, id, DELIVERY_LOG_MAX_ROWS);
  return rows.map((row) => ({
    event_id: row.event_id,
    status: row.status,
    http_status: row.http_status,
    duration_ms: row.duration_ms,
    attempt: row.attempt,
    next_retry_at: row.next_retry_at === null ? null : formatTimestamp(row.next_retry_at),
    created_at: formatTimestamp(row.created_at),
  }));
}

/** Queues a fresh delivery of one of the application's events to the endpoint. */
export async function retryDelivery(
  ctx: WebhookContext,
  target: { clientId: string; id: string; eventId: string },
) {
  const endpoint = await store.getEndpoint(ctx.db, target.clientId, target.id);
  if (endpoint === null) throw endpointMissing();
  const event = await deliveries.getDeliverable(ctx.db, { endpoint, eventId: target.eventId });
  if (event === null) throw new ApiError('not_found', 'This application has no such event.');
  await ctx.queue.send({ kind: 'deliver', event_id: event.id, endpoint_id: endpoint.id });
  return { event_id: event.id, status: 'pending' as const };
}
