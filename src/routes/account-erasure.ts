/**
 * DELETE /api/v1/profile (spec §15, §17): the signed-in person erases their account with the
 * session cookie and the password re-entered, `{"password"}`. Tokens of any kind are refused
 * (src/auth/require-user.ts `requireSession`); the session's unsafe request passes the Origin
 * check (CSRF). Wrong or missing password → 403 forbidden, nothing deleted; repeated wrong
 * passwords back off like failed logins → 429.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SessionPrincipal } from '../auth/principal';
import { requireSession } from '../auth/require-user';
import { endSession } from '../auth/session';
import { USER_API_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { clientAddress } from '../http/client-address';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses } from '../http/openapi';
import { eraseOwnAccount } from '../services/account-erasure';
import { validate } from '../validate';

export const accountErasureApp = new OpenAPIHono<AppEnv>();

/** Unknown members are refused: nothing ambiguous may reach an irreversible delete. */
const ErasureInputSchema = z
  .object({ password: z.string().optional() })
  .strict()
  .openapi('AccountErasureInput');

/** The body; a DELETE sent with no body at all is a missing password (403), not a 415. */
async function erasureInput(c: Context<AppEnv>): Promise<{ password?: string }> {
  if (c.req.raw.body === null && c.req.header('Content-Type') === undefined) return {};
  const { value } = await readJsonBody(c, { maxBytes: USER_API_BODY_MAX_BYTES, maxDepth: 2 });
  return validate(ErasureInputSchema, value);
}

documented(
  accountErasureApp,
  createRoute({
    method: 'delete',
    path: '/api/v1/profile',
    operationId: 'deleteProfile',
    tags: ['user'],
    // The session scheme of src/http/openapi-security.ts: no token of any kind may erase.
    security: [{ session: [] }],
    summary: 'Erase the account and everything in it (session cookie + password re-entered)',
    description:
      'Deletes every row of the user, every cached view, ends every token, and sends authorization.revoked to each authorized app. Personal keys and app tokens are refused (403).',
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: ErasureInputSchema } },
      },
    },
    responses: {
      204: { description: 'Erased; the session cookie is cleared' },
      ...errorResponses(400, 401, 403, 413, 415, 429),
    },
  }),
  requireSession,
  async (c) => {
    const input = await erasureInput(c);
    const outcome = await eraseOwnAccount(c.var, c.var.principal as SessionPrincipal, {
      password: input.password ?? null,
      address: clientAddress(c),
    });
    if (outcome.kind === 'throttled') {
      throw new ApiError('rate_limited', 'Too many wrong passwords. Wait and try again.', {
        retryAfterSeconds: outcome.retryAfterSeconds,
      });
    }
    if (outcome.kind === 'wrong_password') {
      throw new ApiError('forbidden', 'The password is wrong or missing; nothing was deleted.', {
        hint: 'Send {"password": "<your current password>"}.',
      });
    }
    await endSession(c);
    return c.body(null, 204);
  },
);
