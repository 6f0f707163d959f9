/**
 * The queue consumer's work (spec §13): the outbox pump hands each committed change to the
 * queue once per matching endpoint, and each delivery message is one signed POST (Standard
 * Webhooks) retried with exponential backoff, logged, and counted toward the endpoint's
 * failure streak. At-least-once: a message is acked only after its outcome is recorded.
 */
import type { Bindings } from '../env';
import { toEventJson } from '../events/feed';
import { describeError, logEvent } from '../log';
import { decryptSecret, importSecretsKey, signatureHeader } from '../events/webhook-signing';
import { Database } from '../storage/db';
import {
  advanceOutbox,
  getDeliverable,
  readOutbox,
  recordAttempt,
} from '../storage/webhook-deliveries';
import { type EndpointRow, getEndpointById } from '../storage/webhooks';

export type DeliveryMessage =
  { kind: 'pump' } | { kind: 'deliver'; event_id: string; endpoint_id: string };

export interface DeliveryDeps {
  db: Database;
  queue: Queue<DeliveryMessage>;
  secretsKey: string | undefined;
  /** First retry delay; doubles per attempt (WEBHOOK_RETRY_BASE_SECONDS). */
  retryBaseSeconds: number;
  /** Unix seconds. */
  now: () => number;
}

/** 10 attempts: with the production base of 300 s the retries span about 33 h (≥ 24 h). */
export const DELIVERY_MAX_ATTEMPTS = 10;
/** Cloudflare Queues accept a retry delay of at most 12 h. */
const MAX_DELAY_SECONDS = 43_200;
const DELIVERY_TIMEOUT_MS = 10_000;
const OUTBOX_WINDOW_CHANGES = 100;
const OUTBOX_MAX_WINDOWS = 10;
const SEND_BATCH_MAX = 100;
const DEFAULT_RETRY_BASE_SECONDS = 300;

export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** (attempt - 1), MAX_DELAY_SECONDS);
}

/**
 * Hands the changes after the outbox cursor to the queue, one message per (event, endpoint),
 * then advances the cursor. A send that throws leaves the cursor where it was, so the next
 * pump (the scheduled sweep at the latest) sends again: duplicates are possible, loss is not.
 */
export async function pumpOutbox(deps: DeliveryDeps): Promise<number> {
  let sent = 0;
  for (let round = 0; round < OUTBOX_MAX_WINDOWS; round += 1) {
    const window = await readOutbox(deps.db, OUTBOX_WINDOW_CHANGES);
    if (window.through === null) return sent;
    for (let start = 0; start < window.items.length; start += SEND_BATCH_MAX) {
      const chunk = window.items.slice(start, start + SEND_BATCH_MAX);
      await deps.queue.sendBatch(chunk.map((item) => ({ body: { kind: 'deliver', ...item } })));
      sent += chunk.length;
    }
    if (!(await advanceOutbox(deps.db, window.from, window.through))) return sent;
  }
  return sent;
}

/** The secrets that sign now: the current one, and the previous one during its overlap. */
async function signingSecrets(deps: DeliveryDeps, endpoint: EndpointRow): Promise<string[]> {
  const key = await importSecretsKey(deps.secretsKey);
  const secrets = [await decryptSecret(key, endpoint.id, endpoint.secret_enc)];
  const previous = endpoint.previous_secret_enc;
  if (previous !== null && (endpoint.previous_expires_at ?? 0) > deps.now()) {
    secrets.push(await decryptSecret(key, endpoint.id, previous));
  }
  return secrets;
}

/** One POST; the HTTP status, or null when it timed out or failed to connect. */
async function post(url: string, headers: Record<string, string>, body: string) {
  try {
    // security.md: never follow a redirect, bound the time, never read the body.
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}

/** Delivers one message's event to its endpoint and records the outcome. */
export async function deliver(
  deps: DeliveryDeps,
  message: Message<DeliveryMessage>,
  body: { event_id: string; endpoint_id: string },
): Promise<void> {
  const endpoint = await getEndpointById(deps.db, body.endpoint_id);
  const event = endpoint && (await getDeliverable(deps.db, { endpoint, eventId: body.event_id }));
  if (!endpoint || !event || endpoint.status !== 'active') return message.ack();
  const payload = JSON.stringify(toEventJson(event));
  const timestamp = deps.now();
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'appmeta-webhooks/1',
    'webhook-id': event.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signatureHeader(
      await signingSecrets(deps, endpoint),
      event.id,
      timestamp,
      payload,
    ),
  };
  const started = Date.now();
  const httpStatus = await post(endpoint.url, headers, payload);
  const delivered = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
  const attempt = message.attempts;
  const retry = !delivered && attempt < DELIVERY_MAX_ATTEMPTS;
  const delay = retryDelaySeconds(attempt, deps.retryBaseSeconds);
  await recordAttempt(deps.db, {
    endpointId: endpoint.id,
    event_id: event.id,
    attempt,
    status: delivered ? 'delivered' : retry ? 'pending' : 'failed',
    http_status: httpStatus,
    duration_ms: Date.now() - started,
    next_retry_at: retry ? timestamp + delay : null,
    now: timestamp,
  });
  if (retry) message.retry({ delaySeconds: delay });
  else message.ack();
}

/** The consumer: pumps once per batch however many wake-ups it holds, delivers the rest. */
export async function consumeBatch(
  deps: DeliveryDeps,
  batch: MessageBatch<DeliveryMessage>,
): Promise<void> {
  let pumped = false;
  for (const message of batch.messages) {
    const body = message.body;
    try {
      if (body?.kind === 'deliver') {
        await deliver(deps, message, body);
        continue;
      }
      if (body?.kind === 'pump' && !pumped) {
        await pumpOutbox(deps);
        pumped = true;
      }
      message.ack();
    } catch (error) {
      // D1 or the queue failing: the message comes back later; the outcome was not recorded.
      logEvent('error', 'webhook_message_failed', { cause: describeError(error) });
      message.retry({ delaySeconds: deps.retryBaseSeconds });
    }
  }
}

/**
 * After a request's write with change records committed: wake the consumer so it pumps the
 * outbox. Runs in the background (waitUntil); a failed send is only logged, because the
 * scheduled sweep pumps the outbox too.
 */
export async function wakeDelivery(queue: Queue<DeliveryMessage>): Promise<void> {
  try {
    await queue.send({ kind: 'pump' });
  } catch (error) {
    logEvent('warn', 'webhook_wake_failed', { cause: describeError(error) });
  }
}

/** The consumer's dependencies from the Worker's environment. */
export function deliveryDeps(env: Bindings): DeliveryDeps {
  const base = Number(env.WEBHOOK_RETRY_BASE_SECONDS);
  return {
    db: new Database(env.DB),
    queue: env.WEBHOOK_QUEUE as Queue<DeliveryMessage>,
    secretsKey: env.WEBHOOK_SECRETS_KEY,
    retryBaseSeconds: Number.isInteger(base) && base > 0 ? base : DEFAULT_RETRY_BASE_SECONDS,
    now: () => Math.floor(Date.now() / 1000),
  };
}
