/**
 * A minimal cookie-keeping browser over the Worker's fetch (no redirects followed), for
 * driving the HTML flow: authorize → login → consent → callback. Reads the CSRF token and the
 * transaction handle out of the rendered forms, as a person's browser would submit them.
 */
import { env } from 'cloudflare:workers';
import { hashPassword } from '../../src/auth/password';
import { newId } from '../../src/ids';
import { ORIGIN, dispatch } from './worker';

/** Calls the Worker with a full URL (used as oauth4webapi's customFetch too). */
export async function workerFetch(
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  return dispatch(new Request(input, init));
}

export type FetchTarget = (input: string, init: RequestInit) => Promise<Response>;

export class Browser {
  readonly cookies = new Map<string, string>();

  /** `target` and `origin`: the site this browser talks to (the Worker unless given). */
  constructor(
    readonly ip = '192.0.2.1',
    private readonly target: FetchTarget = workerFetch,
    private readonly origin = ORIGIN,
  ) {}

  async get(path: string): Promise<Response> {
    return this.send(path, { method: 'GET' });
  }

  /** Posts a form as a same-origin page would (Origin header included). */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.send(path, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: this.origin,
        ...headers,
      },
    });
  }

  async send(
    path: string,
    init: { method: string; body?: string; headers?: Record<string, string> },
  ) {
    const headers = new Headers(init.headers);
    headers.set('CF-Connecting-IP', this.ip);
    if (this.cookies.size > 0) {
      headers.set(
        'Cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const url = path.startsWith('http') ? path : `${this.origin}${path}`;
    const response = await this.target(url, {
      method: init.method,
      headers,
      body: init.body,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.trim());
    }
    return response;
  }
}

/** A hidden input's value in a rendered form. */
export function hiddenValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden input ${name}`);
  return match[1];
}

export interface Account {
  id: string;
  email: string;
  password: string;
}

/** A user who can sign in with a password. */
export async function createAccount(): Promise<Account> {
  const id = newId('usr');
  const email = `person-${id.slice(-8).toLowerCase()}@example.test`;
  const password = `pw-${id}`;
  await env.DB.prepare(
    'INSERT INTO users (id, email, password_hash, first_name, last_name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
    .bind(
      id,
      email,
      await hashPassword(password),
      'Grace',
      'Climber',
      Math.floor(Date.now() / 1000),
    )
    .run();
  return { id, email, password };
}

/** Signs in on /login (no pending request) and returns the browser. */
export async function signedInBrowser(account: Account, browser = new Browser()): Promise<Browser> {
  const page = await (await browser.get('/login')).text();
  const response = await browser.post('/login', {
    csrf: hiddenValue(page, 'csrf'),
    email: account.email,
    password: account.password,
  });
  if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
  return browser;
}

/** One login attempt from `browser`: the login page for its CSRF token, then the form post. */
export async function loginAttempt(browser: Browser, email: string, password: string) {
  const page = await (await browser.get('/login')).text();
  return browser.post('/login', { csrf: hiddenValue(page, 'csrf'), email, password });
}

/** One signup from `browser` with a valid password and first name unless overridden. */
export async function signupAttempt(browser: Browser, fields: Record<string, string>) {
  const page = await (await browser.get('/signup')).text();
  return browser.post('/signup', {
    csrf: hiddenValue(page, 'csrf'),
    first_name: 'Sam',
    password: 'correct horse battery',
    ...fields,
  });
}
