/**
 * /settings pages for the user's data and account (spec §15): what one authorized app keeps
 * about the user and the form that deletes it without revoking the app; and account deletion
 * in two steps (a confirmation page: password re-entered and the word typed), then signed out
 * and a goodbye page. Every post is CSRF-checked by settings.ts `post`.
 */
import { type Context, Hono } from 'hono';
import { browserId, csrfToken, endSession } from '../auth/session';
import type { AppEnv } from '../env';
import { clientAddress } from '../http/client-address';
import { isId } from '../ids';
import {
  AppDataPage,
  DELETE_CONFIRMATION,
  DeleteAccountPage,
  GoodbyePage,
} from '../pages/account-data-pages';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import { eraseOwnAccount } from '../services/account-erasure';
import { deleteAppData, readAppData } from '../services/app-data';
import { post, signedIn } from './settings';

export const settingsAccountApp = new Hono<AppEnv>();

const NOT_AUTHORIZED = {
  title: 'No such app',
  message: 'You have not authorized that app, so it keeps nothing about you.',
};

settingsAccountApp.get('/settings/app-data', async (c) => {
  const user = await signedIn(c);
  if (user === null) return c.redirect('/login', 303);
  const clientId = c.req.query('client_id') ?? '';
  const data = isId(clientId) ? await readAppData(c.var, user.principal, clientId) : null;
  if (data === null) return page(c, ErrorPage(NOT_AUTHORIZED), 404);
  return page(c, AppDataPage({ csrf: await csrfToken(browserId(c)), data }));
});

settingsAccountApp.post(
  '/settings/app-data/delete',
  post(async (c, user, params) => {
    const clientId = params.get('client_id') ?? '';
    const done = isId(clientId) && (await deleteAppData(c.var, user.principal, clientId));
    if (!done) return page(c, ErrorPage(NOT_AUTHORIZED), 404);
    return c.redirect('/settings?done=app-data-deleted', 303);
  }),
);

async function confirmation(
  c: Context<AppEnv>,
  email: string,
  refusal?: { error: string; status: 400 | 403 | 429 },
) {
  const props = { csrf: await csrfToken(browserId(c)), email, error: refusal?.error };
  return page(c, DeleteAccountPage(props), refusal?.status ?? 200);
}

settingsAccountApp.get('/settings/delete-account', async (c) => {
  const user = await signedIn(c);
  if (user === null) return c.redirect('/login', 303);
  return confirmation(c, user.email);
});

settingsAccountApp.post(
  '/settings/delete-account',
  post(async (c, user, params) => {
    if (params.get('confirm')?.trim() !== DELETE_CONFIRMATION) {
      const error = `Type ${DELETE_CONFIRMATION} to confirm. Nothing was deleted.`;
      return confirmation(c, user.email, { error, status: 400 });
    }
    const outcome = await eraseOwnAccount(c.var, user.principal, {
      password: params.get('password') ?? null,
      address: clientAddress(c),
    });
    if (outcome.kind === 'throttled') {
      c.header('Retry-After', String(outcome.retryAfterSeconds));
      const error = 'Too many wrong passwords. Wait a few minutes and try again.';
      return confirmation(c, user.email, { error, status: 429 });
    }
    if (outcome.kind === 'wrong_password') {
      const error = 'That password is wrong. Nothing was deleted.';
      return confirmation(c, user.email, { error, status: 403 });
    }
    await endSession(c);
    return c.redirect('/goodbye', 303);
  }),
);

settingsAccountApp.get('/goodbye', (c) => page(c, GoodbyePage()));
