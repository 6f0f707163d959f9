/** The Idempotency-Key request header (spec §14): 1–255 visible ASCII characters. */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header as the routes document it, with the pattern idempotencyKeyOf checks. */
export const IdempotencyKeyHeaders = z.object({
  'idempotency-key': z.string().regex(KEY_PATTERN).optional().openapi({
    description:
      'spec §14: 1–255 visible ASCII characters; the first response is replayed for 24 h',
  }),
});

/** The header's value, null when absent; 400 validation_error when malformed. */
export function idempotencyKeyOf(c: Context<AppEnv>): string | null {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return null;
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError('validation_error', 'The Idempotency-Key header is invalid.', {
      details: { 'Idempotency-Key': 'must be 1 to 255 visible ASCII characters' },
    });
  }
  return key;
}

/** The request as the idempotency record sees it, or null without the header. */
export function idempotentRequestOf(c: Context<AppEnv>, body: string) {
  const key = idempotencyKeyOf(c);
  if (key === null) return null;
  return { key, method: c.req.method, path: new URL(c.req.url).pathname, body };
}

/** Headers of a kept response: `Idempotent-Replayed: true` on a replay. */
export function replayHeaders(replayed: boolean): Record<string, string> {
  return replayed ? { 'Idempotent-Replayed': 'true' } : {};
}
