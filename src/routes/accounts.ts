/**
 * Account pages (spec §3): GET/POST /login, GET/POST /signup (off when SIGNUP_ENABLED is
 * "false"), POST /logout. Failed logins are rate limited per account and per IP (D1
 * counters); unknown emails cost a password hash too, so timing does not reveal accounts.
 * After login the browser goes only to a pending authorization request or /settings: never
 * to a URL taken from the request (no open redirect).
 */
import { type Context, Hono } from 'hono';
import { hashPassword, verifyPassword } from '../auth/password';
import {
  browserHash,
  browserId,
  csrfToken,
  currentSession,
  endSession,
  formIsGenuine,
  startSession,
} from '../auth/session';
import {
  LOGIN_FAILURE_WINDOW_SECONDS,
  LOGIN_MAX_FAILURES_PER_ACCOUNT,
  LOGIN_MAX_FAILURES_PER_IP,
} from '../config';
import type { AppEnv } from '../env';
import { readForm } from '../http/form-body';
import { newId, sha256 } from '../ids';
import { type Params } from '../oauth/form';
import { LoginPage, SignupPage } from '../pages/account-pages';
import { ErrorPage } from '../pages/error-page';
import { page } from '../pages/layout';
import { getAccountByEmail } from '../storage/accounts';
import { getApplication } from '../storage/applications';
import { getAuthorizationRequest } from '../storage/authorization-requests';
import { countAttempt, settleSuccess } from '../storage/auth-failures';
import { insertUser } from '../storage/profiles';
import { TX_PATTERN, continueAuthorization } from './authorization-flow';

export const accountsApp = new Hono<AppEnv>();

/** A password hash nobody has, verified when the email is unknown (equal timing). */
let dummyHash: Promise<string> | undefined;

const signupEnabled = (c: Context<AppEnv>) => c.env.SIGNUP_ENABLED !== 'false';

function clientIp(c: Context<AppEnv>): string {
  const ip = c.req.header('CF-Connecting-IP') ?? '';
  return /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : 'unknown';
}

/** The pending request named by `tx` and its app's name, when it is live for this browser. */
async function pendingRequest(c: Context<AppEnv>, tx: string | undefined) {
  if (tx === undefined || !TX_PATTERN.test(tx)) return null;
  const request = await getAuthorizationRequest(
    c.var.db,
    await sha256(tx),
    await browserHash(browserId(c)),
    c.var.now,
  );
  if (request === null) return null;
  const app = await getApplication(c.var.db, request.clientId);
  return { tx, request, appName: app?.name };
}

async function formProps(c: Context<AppEnv>, tx: string | undefined) {
  const pending = await pendingRequest(c, tx);
  return {
    csrf: await csrfToken(browserId(c)),
    tx: pending?.tx ?? null,
    appName: pending?.appName,
    signupEnabled: signupEnabled(c),
  };
}

function refused(c: Context<AppEnv>) {
  return page(
    c,
    ErrorPage({
      title: 'Request refused',
      message: 'This form could not be verified. Reload the page and try again.',
    }),
    403,
  );
}

/** Where a signed-in user goes next: their pending authorization request, or settings. */
async function afterSignIn(c: Context<AppEnv>, userId: string, tx: string | undefined) {
  const pending = await pendingRequest(c, tx);
  if (pending === null) return c.redirect('/settings', 303);
  return continueAuthorization(c, pending.tx, pending.request, userId, true);
}

accountsApp.get('/login', async (c) => {
  const tx = c.req.query('tx');
  if (tx === undefined && (await currentSession(c)) !== null) return c.redirect('/settings', 303);
  return page(c, LoginPage(await formProps(c, tx)));
});

accountsApp.post('/login', async (c) => {
  const form = await readForm(c);
  if (!form.ok || !(await formIsGenuine(c, form.params.get('csrf')))) return refused(c);
  const { params } = form;
  const tx = params.get('tx');
  const email = (params.get('email') ?? '').trim().toLowerCase();
  const password = params.get('password') ?? '';
  const buckets = [`login-account:${await sha256(email)}`, `login-ip:${clientIp(c)}`];
  // The attempt is counted before it is checked, so parallel guesses cannot all slip under
  // the limit; a success clears the account's count and is taken back out of the IP's.
  const [accountAttempts = 0, ipAttempts = 0] = await countAttempt(
    c.var.db,
    buckets,
    c.var.now,
    LOGIN_FAILURE_WINDOW_SECONDS,
  );
  if (accountAttempts > LOGIN_MAX_FAILURES_PER_ACCOUNT || ipAttempts > LOGIN_MAX_FAILURES_PER_IP) {
    c.header('Retry-After', String(LOGIN_FAILURE_WINDOW_SECONDS));
    const props = await formProps(c, tx);
    return page(
      c,
      LoginPage({
        ...props,
        email,
        error: 'Too many failed attempts. Wait a few minutes and try again.',
      }),
      429,
    );
  }
  const account = email.length <= 254 ? await getAccountByEmail(c.var.db, email) : null;
  const ok = await checkPassword(password, account?.passwordHash ?? null);
  if (!ok || account === null) {
    const props = await formProps(c, tx);
    return page(
      c,
      LoginPage({ ...props, email, error: 'That email and password do not match an account.' }),
      401,
    );
  }
  await settleSuccess(c.var.db, buckets[0] as string, buckets[1] as string);
  await startSession(c, account.id);
  return afterSignIn(c, account.id, tx);
});

async function checkPassword(password: string, stored: string | null): Promise<boolean> {
  if (password.length === 0 || password.length > 256) return false;
  if (stored === null) {
    dummyHash ??= hashPassword('not a password anyone has');
    await verifyPassword(password, await dummyHash);
    return false;
  }
  return verifyPassword(password, stored);
}

accountsApp.post('/logout', async (c) => {
  const form = await readForm(c);
  if (!form.ok || !(await formIsGenuine(c, form.params.get('csrf')))) return refused(c);
  await endSession(c);
  return c.redirect('/login', 303);
});

function signupOff(c: Context<AppEnv>) {
  return page(
    c,
    ErrorPage({
      title: 'Signup is closed',
      message: 'New accounts are created by an administrator on this server.',
    }),
    404,
  );
}

accountsApp.get('/signup', async (c) => {
  if (!signupEnabled(c)) return signupOff(c);
  return page(c, SignupPage(await formProps(c, c.req.query('tx'))));
});

accountsApp.post('/signup', async (c) => {
  if (!signupEnabled(c)) return signupOff(c);
  const form = await readForm(c);
  if (!form.ok || !(await formIsGenuine(c, form.params.get('csrf')))) return refused(c);
  const input = signupInput(form.params);
  const tx = form.params.get('tx');
  const again = async (error: string, status: 400) =>
    page(c, SignupPage({ ...(await formProps(c, tx)), ...input, error }), status);
  if (typeof input.error === 'string') return again(input.error, 400);
  const user = await insertUser(c.var.db, {
    id: newId('usr'),
    email: input.email,
    passwordHash: await hashPassword(input.password),
    firstName: input.firstName,
    lastName: input.lastName,
    now: c.var.now,
  });
  if (user === null)
    return again('An account with this email already exists. Sign in instead.', 400);
  await startSession(c, user.id);
  return afterSignIn(c, user.id, tx);
});

function signupInput(params: Params) {
  const email = (params.get('email') ?? '').trim();
  const password = params.get('password') ?? '';
  const firstName = (params.get('first_name') ?? '').trim();
  const lastName = (params.get('last_name') ?? '').trim();
  let error: string | undefined;
  if (!/^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/.test(email))
    error = 'Enter a valid email address.';
  else if (password.length < 8 || password.length > 256)
    error = 'Choose a password of 8 to 256 characters.';
  else if (firstName.length < 1 || firstName.length > 100) error = 'Enter your first name.';
  else if (lastName.length > 100) error = 'The last name is too long.';
  return { email, password, firstName, lastName, error };
}
