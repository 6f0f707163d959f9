/**
 * /settings (HTML): the signed-in user's authorized apps (with what each keeps about them) and
 * personal API keys, with plain form posts to revoke an app, create a key (shown once) and
 * revoke a key. The app-data pages and account deletion are in settings-account.ts.
 */
import { type Context, Hono } from 'hono';
import { parseKeyRequest } from '../auth/api-key-request';
import type { SessionPrincipal } from '../auth/principal';
import { keySet } from '../auth/require-access-token';
import { KEY_SCOPES, PERSONAL_KEY_SCOPES } from '../auth/scopes';
import { browserId, csrfToken, currentSession, formIsGenuine } from '../auth/session';
import { formatTimestamp } from '../entities/time';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readForm } from '../http/form-body';
import { isId } from '../ids';
import type { Params } from '../oauth/form';
import { ErrorPage, FORM_REFUSED } from '../pages/error-page';
import { page } from '../pages/layout';
import { SettingsPage, type SettingsProps } from '../pages/settings-page';
import { createPersonalKey, listApiKeys } from '../services/account';
import { listAppDataSummaries } from '../services/app-data';
import { changePassword, signOutEverywhere } from '../services/account-security';
import { revokeAuthorization, revokePersonalKey } from '../services/revocations';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../config';

export const settingsApp = new Hono<AppEnv>();

type Extra = Pick<SettingsProps, 'notice' | 'error' | 'newKey'>;

async function render(
  c: Context<AppEnv>,
  principal: SessionPrincipal,
  email: string,
  extra: Extra = {},
) {
  const [authorizations, keys] = await Promise.all([
    listAppDataSummaries(c.var, principal),
    listApiKeys(c.var.db, principal, c.var.now),
  ]);
  const csrf = await csrfToken(browserId(c));
  return page(c, SettingsPage({ email, csrf, authorizations, keys, ...extra }));
}

/** The signed-in user as a session principal with their email, or null. */
export async function signedIn(c: Context<AppEnv>) {
  const session = await currentSession(c);
  if (session === null) return null;
  const principal: SessionPrincipal = {
    kind: 'session',
    userId: session.userId,
    sessionHash: session.sessionHash,
    scopes: new Set(KEY_SCOPES),
  };
  return { principal, email: session.email };
}

const NOTICES: Record<string, string> = {
  'app-revoked':
    'Access revoked. The app can no longer use your account, and its data about you is deleted.',
  'key-revoked': 'Key revoked.',
  'app-data-deleted':
    "That app's documents and entries about you are deleted. It stays authorized; revoke it to stop it writing more.",
  'password-changed':
    'Password changed. Every other session, app access token and personal key has ended.',
  'signed-out-everywhere':
    'Signed out everywhere else. Every app access token and personal key has ended.',
};

settingsApp.get('/settings', async (c) => {
  const user = await signedIn(c);
  if (user === null) return c.redirect('/login', 303);
  return render(c, user.principal, user.email, { notice: NOTICES[c.req.query('done') ?? ''] });
});

/** Runs a settings form post: CSRF and session checked first. */
export function post(
  handler: (
    c: Context<AppEnv>,
    user: NonNullable<Awaited<ReturnType<typeof signedIn>>>,
    params: Params,
  ) => Promise<Response>,
) {
  return async (c: Context<AppEnv>) => {
    const form = await readForm(c);
    if (!form.ok || !(await formIsGenuine(c, form.params.get('csrf')))) {
      return page(c, ErrorPage(FORM_REFUSED), 403);
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
    const done = isId(clientId) && (await revokeAuthorization(c.var, user.principal, clientId));
    if (!done)
      return render(c, user.principal, user.email, { error: 'That app was not authorized.' });
    return c.redirect('/settings?done=app-revoked', 303);
  }),
);

settingsApp.post(
  '/settings/api-keys/revoke',
  post(async (c, user, params) => {
    const id = params.get('id') ?? '';
    const done = isId(id) && (await revokePersonalKey(c.var, user.principal, id));
    if (!done) return render(c, user.principal, user.email, { error: 'No such key.' });
    return c.redirect('/settings?done=key-revoked', 303);
  }),
);

const EXPIRY_DAYS: Record<string, number | null> = { '30': 30, '90': 90, '365': 365, never: null };

settingsApp.post(
  '/settings/api-keys',
  post(async (c, user, params) => {
    const days = EXPIRY_DAYS[params.get('expires_in_days') ?? ''];
    const input = {
      name: params.get('name') ?? '',
      scopes: PERSONAL_KEY_SCOPES.filter((scope) => params.get(`scope.${scope}`) === 'on'),
      expires_at: days ? formatTimestamp(c.var.now + days * 86400) : null,
    };
    let request;
    try {
      if (days === undefined) throw new ApiError('validation_error', 'No such expiry.');
      request = parseKeyRequest(user.principal, input, c.var.now);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return render(c, user.principal, user.email, {
        error: 'Give the key a name (up to 100 characters) and choose at least one scope.',
      });
    }
    const ctx = { ...c.var, keys: await keySet(c.env) };
    const { key, token } = await createPersonalKey(ctx, user.principal, request);
    return render(c, user.principal, user.email, { newKey: { name: key.name, token } });
  }),
);

settingsApp.post(
  '/settings/sign-out-everywhere',
  post(async (c, user) => {
    await signOutEverywhere({ ...c.var, nowMs: Date.now() }, user.principal);
    return c.redirect('/settings?done=signed-out-everywhere', 303);
  }),
);

settingsApp.post(
  '/settings/password',
  post(async (c, user, params) => {
    const current = params.get('current_password') ?? '';
    const next = params.get('new_password') ?? '';
    if (next.length < PASSWORD_MIN_CHARS || next.length > PASSWORD_MAX_CHARS) {
      return render(c, user.principal, user.email, {
        error: `Choose a new password of ${PASSWORD_MIN_CHARS} to ${PASSWORD_MAX_CHARS} characters.`,
      });
    }
    const ctx = { ...c.var, nowMs: Date.now() };
    const outcome = await changePassword(ctx, user.principal, { current, next });
    if (outcome === 'wrong_password') {
      return render(c, user.principal, user.email, { error: 'The current password is wrong.' });
    }
    return c.redirect('/settings?done=password-changed', 303);
  }),
);
