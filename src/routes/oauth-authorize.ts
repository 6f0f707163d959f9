/**
 * The browser side of the authorization code flow (spec §6): GET /oauth/authorize, and the
 * consent page and its decision. Errors that cannot be trusted to the client's redirect URI
 * are shown as a page; the rest go back to the client with `error`, `state` and `iss`.
 */
import { type Context, Hono } from 'hono';
import { browserHash, browserId, csrfToken, currentSession, formIsGenuine } from '../auth/session';
import { type Scope, SCOPES } from '../auth/scopes';
import { AUTHORIZATION_REQUEST_TTL_SECONDS } from '../config';
import type { AppEnv } from '../env';
import { readForm } from '../http/form-body';
import { isId, randomToken, sha256 } from '../ids';
import {
  type ValidAuthorizeRequest,
  requestedClientId,
  validateAuthorizeRequest,
} from '../oauth/authorize-request';
import { ConsentPage } from '../pages/consent-page';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import { getApplication } from '../storage/applications';
import {
  type AuthorizationRequest,
  consumeAuthorizationRequest,
  getAuthorizationRequest,
  insertAuthorizationRequest,
} from '../storage/authorization-requests';
import { getGrant, upsertGrant } from '../storage/grants';
import {
  TX_PATTERN,
  continueAuthorization,
  expiredRequestPage,
  needsConsent,
  redirectToClient,
  redirectWithCode,
} from './authorization-flow';

export const oauthAuthorizeApp = new Hono<AppEnv>();

oauthAuthorizeApp.get('/oauth/authorize', async (c) => {
  const query = new URL(c.req.url).searchParams;
  const clientId = requestedClientId(query);
  const client =
    clientId !== null && isId(clientId) ? await getApplication(c.var.db, clientId) : null;
  const validation = validateAuthorizeRequest(query, client);
  if (validation.kind === 'page') {
    return page(
      c,
      ErrorPage({ title: 'This request cannot be completed', message: validation.message }),
      400,
    );
  }
  if (validation.kind === 'redirect') {
    return redirectToClient(c, validation.redirectUri, {
      error: validation.error,
      error_description: validation.description,
      state: validation.state,
    });
  }
  const valid = validation.request;
  const session = await currentSession(c);
  const request: AuthorizationRequest = {
    clientId: valid.client.clientId,
    redirectUri: valid.redirectUri,
    scopes: valid.scopes,
    state: valid.state,
    codeChallenge: valid.codeChallenge,
    promptLogin: valid.promptLogin,
    promptConsent: valid.promptConsent,
    userId: null,
    expiresAt: c.var.now + AUTHORIZATION_REQUEST_TTL_SECONDS,
  };
  if (valid.promptNone) return promptNone(c, valid, request, session?.userId ?? null);
  const tx = randomToken(32);
  await insertAuthorizationRequest(
    c.var.db,
    await sha256(tx),
    await browserHash(browserId(c)),
    request,
    c.var.now,
  );
  if (session === null || valid.promptLogin) return c.redirect(`/login?tx=${tx}`, 303);
  return continueAuthorization(c, tx, request, session.userId, false);
});

/** OpenID-style prompt=none: no UI at all; answer at once or report why not. */
async function promptNone(
  c: Context<AppEnv>,
  valid: ValidAuthorizeRequest,
  request: AuthorizationRequest,
  userId: string | null,
) {
  const back = (error: string) =>
    redirectToClient(c, valid.redirectUri, { error, state: valid.state });
  if (userId === null) return back('login_required');
  if (await needsConsent(c, request, userId)) return back('consent_required');
  return redirectWithCode(c, request, userId);
}

oauthAuthorizeApp.get('/oauth/consent', async (c) => {
  const tx = c.req.query('tx') ?? '';
  if (!TX_PATTERN.test(tx)) return expiredRequestPage(c);
  const session = await currentSession(c);
  if (session === null) return c.redirect(`/login?tx=${tx}`, 303);
  const id = browserId(c);
  const request = await getAuthorizationRequest(
    c.var.db,
    await sha256(tx),
    await browserHash(id),
    c.var.now,
  );
  if (request === null) return expiredRequestPage(c);
  if (request.userId !== session.userId || request.promptLogin) {
    return c.redirect(`/login?tx=${tx}`, 303);
  }
  const app = await getApplication(c.var.db, request.clientId);
  if (app === null || app.disabledAt !== null) return expiredRequestPage(c);
  const view = ConsentPage({
    appName: app.name,
    scopes: request.scopes,
    userEmail: session.email,
    csrf: await csrfToken(id),
    tx,
    redirectHost: new URL(request.redirectUri).host,
  });
  return page(c, view);
});

oauthAuthorizeApp.post('/oauth/consent', async (c) => {
  const form = await readForm(c);
  const params = form.ok ? form.params : new Map<string, string>();
  if (!form.ok || !(await formIsGenuine(c, params.get('csrf')))) {
    return page(
      c,
      ErrorPage({
        title: 'Request refused',
        message: 'This form could not be verified. Reload the page and try again.',
      }),
      403,
    );
  }
  const tx = params.get('tx') ?? '';
  const decision = params.get('decision');
  if (!TX_PATTERN.test(tx) || (decision !== 'approve' && decision !== 'deny')) {
    return expiredRequestPage(c);
  }
  const session = await currentSession(c);
  if (session === null) return c.redirect(`/login?tx=${tx}`, 303);
  const request = await consumeAuthorizationRequest(
    c.var.db,
    await sha256(tx),
    await browserHash(browserId(c)),
    session.userId,
    c.var.now,
  );
  if (request === null) return expiredRequestPage(c);
  if (decision === 'deny') {
    return redirectToClient(c, request.redirectUri, {
      error: 'access_denied',
      error_description: 'The user denied the request.',
      state: request.state,
    });
  }
  const existing = await getGrant(c.var.db, session.userId, request.clientId);
  const granted = new Set<Scope>([...(existing?.scopes ?? []), ...request.scopes]);
  await upsertGrant(c.var.db, {
    userId: session.userId,
    clientId: request.clientId,
    scopes: SCOPES.filter((scope) => granted.has(scope)),
    now: c.var.now,
    nowMs: Date.now(),
  });
  return redirectWithCode(c, request, session.userId);
});
