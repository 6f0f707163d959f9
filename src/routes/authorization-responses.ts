/**
 * HTTP for the authorization flow: maps a FlowOutcome (src/services/authorization-flow.ts) to
 * the redirect or page the browser gets. Client redirects carry `iss` (RFC 9207) and no-store.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { clientRedirect } from '../oauth/authorize-request';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import type { FlowDeps, FlowOutcome } from '../services/authorization-flow';

/** What the flow service needs from the request. */
export function flowDeps(c: Context<AppEnv>): FlowDeps {
  return { db: c.var.db, now: c.var.now, nowMs: Date.now() };
}

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

/** The page for an unknown or disabled client: it is never redirected to (RFC 6749 §4.1.2.1). */
export function unavailableClientPage(c: Context<AppEnv>, message: string) {
  return page(c, ErrorPage({ title: 'This request cannot be completed', message }), 400);
}

export function redirectToClient(
  c: Context<AppEnv>,
  redirectUri: string,
  params: Record<string, string | null>,
): Response {
  c.header('Cache-Control', 'no-store');
  return c.redirect(clientRedirect(redirectUri, params, c.var.issuer), 303);
}

export function respond(c: Context<AppEnv>, outcome: FlowOutcome): Response {
  switch (outcome.kind) {
    case 'login':
      return c.redirect(`/login?tx=${outcome.tx}`, 303);
    case 'consent':
      return c.redirect(`/oauth/consent?tx=${outcome.tx}`, 303);
    case 'client':
      return redirectToClient(c, outcome.redirectUri, outcome.params);
    case 'expired':
      return expiredRequestPage(c);
    case 'unavailable':
      return unavailableClientPage(c, 'This application is unknown or no longer available.');
  }
}
