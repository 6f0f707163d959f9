/**
 * /settings (HTML): the signed-in user's authorized apps and personal API keys, with plain
 * form posts to revoke an app, create a key (shown once) and revoke a key.
 */
import { type Context, Hono } from 'hono';
import type { SessionPrincipal } from '../auth/principal';
import { PERSONAL_KEY_SCOPES, SCOPES } from '../auth/scopes';
import { browserId, csrfToken, currentSession, formIsGenuine } from '../auth/session';
import type { AppEnv } from '../env';
import { readForm } from '../http/form-body';
import { isId } from '../ids';
import type { Params } from '../oauth/form';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import { SettingsPage, type SettingsProps } from '../pages/settings-page';
import { listApiKeys } from '../storage/api-keys';
import { listAuthorizations } from '../storage/user-authorizations';
import { createPersonalKey, revokeAppAuthorization, revokePersonalKey } from './user-actions';

export const settingsApp = new Hono<AppEnv>();

type Extra = Pick<SettingsProps, 'notice' | 'error' | 'newKey'>;

async function render(
  c: Context<AppEnv>,
  principal: SessionPrincipal,
  email: string,
  extra: Extra = {},
) {
  const [authorizations, keys] = await Promise.all([
    listAuthorizations(c.var.db, principal, c.var.now),
    listApiKeys(c.var.db, principal, c.var.now),
  ]);
  const csrf = await csrfToken(browserId(c));
  return page(
    c,
    SettingsPage({ email, csrf, authorizations: authorizations ?? [], keys: keys ?? [], ...extra }),
  );
}

async function signedIn(c: Context<AppEnv>) {
  const session = await currentSession(c);
  if (session === null) return null;
  const principal: SessionPrincipal = {
    kind: 'session',
    userId: session.userId,
    sessionHash: session.sessionHash,
    scopes: new Set(SCOPES),
  };
  return { principal, email: session.email };
}

const NOTICES: Record<string, string> = {
  'app-revoked':
    'Access revoked. The app can no longer use your account, and its data about you is deleted.',
  'key-revoked': 'Key revoked.',
};

settingsApp.get('/settings', async (c) => {
  const user = await signedIn(c);
  if (user === null) return c.redirect('/login', 303);
  return render(c, user.principal, user.email, { notice: NOTICES[c.req.query('done') ?? ''] });
});

/** Runs a settings form post: CSRF and session checked first. */
function post(
  handler: (
    c: Context<AppEnv>,
    user: NonNullable<Awaited<ReturnType<typeof signedIn>>>,
    params: Params,
  ) => Promise<Response>,
) {
  return async (c: Context<AppEnv>) => {
    const form = await readForm(c);
    if (!form.ok || !(await formIsGenuine(c, form.params.get('csrf')))) {
      return page(
        c,
        ErrorPage({
          title: 'Request refused',
          message: 'This form could not be verified. Reload the page and try again.',
        }),
        403,
      );
    }
    const user = await signedIn(c);
    if (user === null) return c.redirect('/login', 303);
    return handler(c, user, form.params);
  };
}

settingsApp.post(
  '/settings/authorizations/revoke',
  post(async (c, user, params) => {
    const clientId = params.get('client_id') ?? '';
    const done = isId(clientId) && (await revokeAppAuthorization(c, user.principal, clientId));
    if (!done)
      return render(c, user.principal, user.email, { error: 'That app was not authorized.' });
    return c.redirect('/settings?done=app-revoked', 303);
  }),
);

settingsApp.post(
  '/settings/api-keys/revoke',
  post(async (c, user, params) => {
    const id = params.get('id') ?? '';
    const done = isId(id) && (await revokePersonalKey(c, user.principal, id));
    if (!done) return render(c, user.principal, user.email, { error: 'No such key.' });
    return c.redirect('/settings?done=key-revoked', 303);
  }),
);

const EXPIRY_DAYS: Record<string, number | null> = { '30': 30, '90': 90, '365': 365, never: null };

settingsApp.post(
  '/settings/api-keys',
  post(async (c, user, params) => {
    const name = (params.get('name') ?? '').trim();
    const scopes = PERSONAL_KEY_SCOPES.filter((scope) => params.get(`scope.${scope}`) === 'on');
    const days = EXPIRY_DAYS[params.get('expires_in_days') ?? ''];
    if (name.length < 1 || name.length > 100 || scopes.length === 0 || days === undefined) {
      return render(c, user.principal, user.email, {
        error: 'Give the key a name (up to 100 characters) and choose at least one scope.',
      });
    }
    const expiresAt = days === null ? null : c.var.now + days * 86400;
    const { key, token } = await createPersonalKey(c, user.principal, { name, scopes, expiresAt });
    return render(c, user.principal, user.email, { newKey: { name: key.name, token } });
  }),
);
