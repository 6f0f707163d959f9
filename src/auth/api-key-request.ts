/**
 * What a request for a new personal API key must satisfy, written once for the JSON API and
 * the /settings form: a name, at least one scope the requester holds itself (a key can hand
 * out only what it holds), and an expiry in the future and within the longest key lifetime.
 * A key created by a key also never outlives its parent (spec §11): storage cuts the expiry to
 * the parent's, or gives it the parent's (90 days when the parent never expires) when none is
 * asked for, in the insert itself.
 */
import { z } from '@hono/zod-openapi';
import { PERSONAL_KEY_MAX_TTL_SECONDS } from '../config';
import { parseDateTime } from '../entities/time';
import { ApiError } from '../errors';
import { validate } from '../validate';
import type { UserPrincipal } from './principal';
import { type KeyScope, KEY_SCOPES } from './scopes';

export const ApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(KEY_SCOPES.length),
    expires_at: z
      .string()
      .max(40)
      .refine((value) => parseDateTime(value) !== null, {
        message: 'must be an ISO-8601 date-time with offset',
      })
      .nullable()
      .optional(),
  })
  .openapi('ApiKeyInput');

export interface KeyRequest {
  name: string;
  scopes: KeyScope[];
  expiresAt: number | null;
}

/** Throws 403 insufficient_scope naming the first scope the principal lacks. */
export function requireScopes(principal: UserPrincipal, scopes: readonly KeyScope[]): void {
  const missing = scopes.find((scope) => !principal.scopes.has(scope));
  if (missing !== undefined) {
    throw new ApiError('insufficient_scope', `This request needs the ${missing} scope.`, {
      scope: missing,
    });
  }
}

/** Validates a key request (400 validation_error, 403 insufficient_scope). */
export function parseKeyRequest(principal: UserPrincipal, input: unknown, now: number): KeyRequest {
  const parsed = validate(ApiKeyInputSchema, input);
  const scopes = KEY_SCOPES.filter((scope) => parsed.scopes.includes(scope));
  requireScopes(principal, scopes);
  const expiresAt = parsed.expires_at ? (parseDateTime(parsed.expires_at) as number) : null;
  if (expiresAt !== null && (expiresAt <= now || expiresAt > now + PERSONAL_KEY_MAX_TTL_SECONDS)) {
    throw new ApiError('validation_error', 'Some fields are invalid.', {
      details: { expires_at: 'must be in the future and within ten years' },
    });
  }
  return { name: parsed.name, scopes, expiresAt };
}
