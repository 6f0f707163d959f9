/**
 * Moving a pending authorization request forward once the user is known: show consent when
 * the grant does not already cover the request (or prompt=consent), else issue a code and
 * send the browser back to the client. Used by /oauth/authorize, /login, /signup and consent.
 */
import type { Context } from 'hono';
import { browserHash, browserId } from '../auth/session';
import { AUTHORIZATION_CODE_TTL_SECONDS } from '../config';
import type { AppEnv } from '../env';
import { newId, randomToken, sha256 } from '../ids';
import { clientRedirect } from '../oauth/authorize-request';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import { insertAuthorizationCode } from '../storage/authorization-codes';
import {
  type AuthorizationRequest,
  consumeAuthorizationRequest,
  setAuthorizationRequestUser,
} from '../storage/authorization-requests';
import { getGrant } from '../storage/grants';

/** The opaque handle of a pending request as it appears in URLs and forms. */
export const TX_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function expiredRequestPage(c: Context<AppEnv>) {
  return page(
    c,
    ErrorPage({
      title: 'This sign-in link has expired',
      message:
        'The authorization request is unknown, already finished or expired. Go back to the app and start again.',
    }),
    400,
  );
}

/** True when the user's grant already covers every scope asked (and consent is not forced). */
export async function needsConsent(
  c: Context<AppEnv>,
  request: AuthorizationRequest,
  userId: string,
): Promise<boolean> {
  if (request.promptConsent) return true;
  const grant = await getGrant(c.var.db, userId, request.clientId);
  return grant === null || request.scopes.some((scope) => !grant.scopes.includes(scope));
}

/**
 * Continues request `tx` for `userId`. `loggedInHere` is true when the user just signed in
 * for this request, which satisfies prompt=login.
 */
export async function continueAuthorization(
  c: Context<AppEnv>,
  tx: string,
  request: AuthorizationRequest,
  userId: string,
  loggedInHere: boolean,
): Promise<Response> {
  const idHash = await sha256(tx);
  await setAuthorizationRequestUser(c.var.db, idHash, userId, loggedInHere);
  if (await needsConsent(c, request, userId)) {
    return c.redirect(`/oauth/consent?tx=${tx}`, 303);
  }
  const bHash = await browserHash(browserId(c));
  const consumed = await consumeAuthorizationRequest(c.var.db, idHash, bHash, userId, c.var.now);
  if (consumed === null) return expiredRequestPage(c);
  return redirectWithCode(c, consumed, userId);
}

/** Issues a code for a consumed request and redirects to the client (RFC 6749 §4.1.2). */
export async function redirectWithCode(
  c: Context<AppEnv>,
  request: AuthorizationRequest,
  userId: string,
): Promise<Response> {
  const code = randomToken(32);
  await insertAuthorizationCode(
    c.var.db,
    await sha256(code),
    {
      clientId: request.clientId,
      userId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: request.scopes,
      familyId: newId('rtf'),
      expiresAt: c.var.now + AUTHORIZATION_CODE_TTL_SECONDS,
      usedAt: null,
    },
    c.var.now,
  );
  return redirectToClient(c, request.redirectUri, { code, state: request.state });
}

export function redirectToClient(
  c: Context<AppEnv>,
  redirectUri: string,
  params: Record<string, string | null>,
): Response {
  c.header('Cache-Control', 'no-store');
  return c.redirect(clientRedirect(redirectUri, params, c.var.issuer), 303);
}
