/** Verifying webhook deliveries (Standard Webhooks, spec §13) with `standardwebhooks`. */
import { Webhook } from 'standardwebhooks';
import { AppmetaError } from './errors.js';
import type { ChangeEvent } from './types.js';

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Checks the signature and timestamp of a delivery and returns its event. `body` must be the
 * raw request body, exactly as received; `secret` is the endpoint's `whsec_…` secret. Throws
 * an AppmetaError (`invalid_signature`) when the delivery is not authentic.
 */
export function verifyWebhook(body: string, headers: WebhookHeaders, secret: string): ChangeEvent {
  const wanted = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
  const plain: Record<string, string> = {};
  for (const name of wanted) {
    const value = headerValue(headers, name);
    if (value !== undefined) plain[name] = value;
  }
  try {
    return new Webhook(secret).verify(body, plain) as ChangeEvent;
  } catch (cause) {
    throw new AppmetaError({
      status: 0,
      errorCode: 'invalid_signature',
      message: `The webhook delivery could not be verified: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  }
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

export class WebhooksResource {
  verify(body: string, headers: WebhookHeaders, secret: string): ChangeEvent {
    return verifyWebhook(body, headers, secret);
  }
}
