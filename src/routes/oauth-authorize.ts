/**
 * The browser side of the authorization code flow (spec §6): GET /oauth/authorize, and the
 * consent page and its decision. Errors that cannot be trusted to the client's redirect URI
 * are shown as a page; the rest go back to the client with `error`, `state` and `iss`. What
 * happens next is decided by src/services/authorization-flow.ts.
 */
import { Hono } from 'hono';
import { browserHash, browserId, csrfToken, currentSession, formIsGenuine } from '../auth/session';
import { AUTHORIZATION_REQUEST_TTL_SECONDS } from '../config';
import type { AppEnv } from '../env';
import { clientAddress } from '../http/client-address';
import { readForm } from '../http/form-body';
import { isId } from '../ids';
import { requestedClientId, validateAuthorizeRequest } from '../oauth/authorize-request';
import { ConsentPage } from '../pages/consent-page';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import {
  TX_PATTERN,
  consentToShow,
  decideConsent,
  startAuthorization,
} from '../services/authorization-flow';
import { getApplication } from '../storage/applications';
import {
  expiredRequestPage,
  flowDeps,
  redirectToClient,
  respond,
  unavailableClientPage,
} from './authorization-responses';

export const oauthAuthorizeApp = new Hono<AppEnv>();

oauthAuthorizeApp.get('/oauth/authorize', async (c) => {
  const query = new URL(c.req.url).searchParams;
  const clientId = requestedClientId(query);
  const client =
    clientId !== null && isId(clientId) ? await getApplication(c.var.db, clientId) : null;
  const validation = validateAuthorizeRequest(query, client);
  if (validation.kind === 'page') return unavailableClientPage(c, validation.message);
  if (validation.kind === 'redirect') {
    return redirectToClient(c, validation.redirectUri, {
      error: validation.error,
      error_description: validation.description,
      state: validation.state,
    });
  }
  const valid = validation.request;
  const session = await currentSession(c);
  const outcome = await startAuthorization(flowDeps(c), {
    request: {
      clientId: valid.client.clientId,
      redirectUri: valid.redirectUri,
      scopes: valid.scopes,
      state: valid.state,
      codeChallenge: valid.codeChallenge,
      promptLogin: valid.promptLogin,
      promptConsent: valid.promptConsent,
      userId: null,
      expiresAt: c.var.now + AUTHORIZATION_REQUEST_TTL_SECONDS,
    },
    promptNone: valid.promptNone,
    userId: session?.userId ?? null,
    browserHash: await browserHash(browserId(c)),
    address: clientAddress(c),
  });
  return respond(c, outcome);
});

oauthAuthorizeApp.get('/oauth/consent', async (c) => {
  const tx = c.req.query('tx') ?? '';
  if (!TX_PATTERN.test(tx)) return expiredRequestPage(c);
  const session = await currentSession(c);
  if (session === null) return c.redirect(`/login?tx=${tx}`, 303);
  const id = browserId(c);
  const shown = await consentToShow(flowDeps(c), {
    tx,
    browserHash: await browserHash(id),
    userId: session.userId,
  });
  if (shown.kind !== 'show') return respond(c, shown);
  const { request } = shown.pending;
  const view = ConsentPage({
    appName: shown.appName,
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
  const outcome = await decideConsent(flowDeps(c), {
    tx,
    approve: decision === 'approve',
    userId: session.userId,
    browserHash: await browserHash(browserId(c)),
  });
  return respond(c, outcome);
});
