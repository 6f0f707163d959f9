/**
 * Account pages (spec §3): GET/POST /login, GET/POST /signup (off when SIGNUP_ENABLED is
 * "false"), POST /logout. Failed logins back off per (account, address) and are capped per
 * address (src/auth/login-throttle.ts), never per account alone; signups are limited per
 * address (src/auth/signup-limit.ts). Every email goes through the one normaliser
 * (src/auth/email.ts). Unknown emails cost a password hash too, so timing does not reveal
 * accounts.
 * After login the browser goes only to a pending authorization request or /settings: never
 * to a URL taken from the request (no open redirect).
 */
import { type Context, Hono } from 'hono';
import { EMAIL_MAX_CHARS, isEmailShaped, normalizeEmail } from '../auth/email';
import { hashPassword, verifyPassword } from '../auth/password';
import { passwordAttemptSucceeded, passwordAttemptWait } from '../auth/password-attempts';
import {
  browserHash,
  browserId,
  csrfToken,
  currentSession,
  endSession,
  formIsGenuine,
  startSession,
} from '../auth/session';
import { allowSignup } from '../auth/signup-limit';
import type { AppEnv } from '../env';
import { clientAddress } from '../http/client-address';
import { readForm } from '../http/form-body';
import { newId } from '../ids';
import { type Params } from '../oauth/form';
import { LoginPage, SignupPage } from '../pages/account-pages';
import { ErrorPage, FORM_REFUSED } from '../pages/error-page';
import { page } from '../pages/layout';
import { getAccountByEmail } from '../storage/accounts';
import { insertUser } from '../storage/profiles';
import { continueAuthorization, findPendingRequest } from '../services/authorization-flow';
import { flowDeps, respond } from './authorization-responses';

export const accountsApp = new Hono<AppEnv>();

/** A password hash nobody has, verified when the email is unknown (equal timing). */
let dummyHash: Promise<string> | undefined;

const signupEnabled = (c: Context<AppEnv>) => c.env.SIGNUP_ENABLED !== 'false';

/** The pending request named by `tx`, when it is live for this browser. */
async function pendingRequest(c: Context<AppEnv>, tx: string | undefined) {
  return findPendingRequest(flowDeps(c), tx, await browserHash(browserId(c)));
}

async function formProps(c: Context<AppEnv>, tx: string | undefined) {
  const pending = await pendingRequest(c, tx);
  return {
    csrf: await csrfToken(browserId(c)),
    tx: pending?.tx ?? null,
    appName: pending?.appName ?? undefined,
    signupEnabled: signupEnabled(c),
  };
}

function refused(c: Context<AppEnv>) {
  return page(c, ErrorPage(FORM_REFUSED), 403);
}

/** Where a signed-in user goes next: their pending authorization request, or settings. */
async function afterSignIn(c: Context<AppEnv>, userId: string, tx: string | undefined) {
  const pending = await pendingRequest(c, tx);
  if (pending === null) return c.redirect('/settings', 303);
  const outcome = await continueAuthorization(flowDeps(c), {
    tx: pending.tx,
    request: pending.request,
    userId,
    loggedInHere: true,
    browserHash: await browserHash(browserId(c)),
  });
  return respond(c, outcome);
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
  const email = normalizeEmail(params.get('email') ?? '');
  const password = params.get('password') ?? '';
  const wait = await loginThrottle(c, email);
  if (wait > 0) {
    c.header('Retry-After', String(wait));
    const props = await formProps(c, tx);
    const error = 'Too many failed attempts. Wait a few minutes and try again.';
    return page(c, LoginPage({ ...props, email, error }), 429);
  }
  const account = email.length <= EMAIL_MAX_CHARS ? await getAccountByEmail(c.var.db, email) : null;
  const ok = await checkPassword(password, account?.passwordHash ?? null);
  if (!ok || account === null) {
    const props = await formProps(c, tx);
    return page(
      c,
      LoginPage({ ...props, email, error: 'That email and password do not match an account.' }),
      401,
    );
  }
  await passwordAttemptSucceeded(passwordAttempt(c, email));
  await startSession(c, account.id);
  return afterSignIn(c, account.id, tx);
});

/** Counts this login attempt (src/auth/password-attempts.ts); the seconds it must wait. */
function loginThrottle(c: Context<AppEnv>, email: string): Promise<number> {
  return passwordAttemptWait(passwordAttempt(c, email));
}

function passwordAttempt(c: Context<AppEnv>, email: string) {
  return { db: c.var.db, email, address: clientAddress(c), now: c.var.now };
}

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
  const again = async (error: string, status: 400 | 429) =>
    page(c, SignupPage({ ...(await formProps(c, tx)), ...input, error }), status);
  // Counted before the password is hashed: a flood costs a limiter call, not a PBKDF2 hash.
  const allowance = await allowSignup(c);
  if (!allowance.allowed) {
    c.header('Retry-After', String(allowance.retryAfterSeconds));
    return again('Too many new accounts from this address. Wait a minute and try again.', 429);
  }
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
  const email = normalizeEmail(params.get('email') ?? '');
  const password = params.get('password') ?? '';
  const firstName = (params.get('first_name') ?? '').trim();
  const lastName = (params.get('last_name') ?? '').trim();
  let error: string | undefined;
  if (!isEmailShaped(email)) error = 'Enter a valid email address.';
  else if (password.length < 8 || password.length > 256)
    error = 'Choose a password of 8 to 256 characters.';
  else if (firstName.length < 1 || firstName.length > 100) error = 'Enter your first name.';
  else if (lastName.length > 100) error = 'The last name is too long.';
  return { email, password, firstName, lastName, error };
}
