/**
 * Issue 8 finding 8: an application disabled while the user is signing in or consenting gets
 * no grant and no code; the browser is shown a page, never sent to the client.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Browser, createAccount, hiddenValue, signedInBrowser } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { authorizeUrl, obtainCallback } from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

async function disable(clientId: string) {
  const response = await call(`/api/v1/admin/applications/${clientId}`, {
    method: 'DELETE',
    headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef' },
  });
  expect(response.status).toBeLessThan(300);
}

async function rowsFor(clientId: string) {
  const grants = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM authorizations WHERE client_id = ?',
  )
    .bind(clientId)
    .first<{ n: number }>();
  const codes = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM authorization_codes WHERE client_id = ?',
  )
    .bind(clientId)
    .first<{ n: number }>();
  return { grants: grants?.n, codes: codes?.n };
}

function expectPageNotRedirect(response: Response) {
  expect(response.status).toBe(400);
  expect(response.headers.get('Location')).toBeNull();
  expect(response.headers.get('Content-Type')).toContain('text/html');
}

describe('an application disabled during the flow', () => {
  it.each([
    ['approved', 'approve'],
    ['denied', 'deny'],
  ])(
    'is not redirected to and gets no grant or code when consent is %s after it was disabled',
    async (_name, decision) => {
      const account = await createAccount();
      const app = await createApp();
      const browser = await signedInBrowser(account);
      const { path } = await authorizeUrl({ app, scopes: ['profile'] });
      const started = await browser.get(path);
      expect(started.headers.get('Location')).toMatch(/^\/oauth\/consent\?tx=/);
      const consent = await browser.get(started.headers.get('Location') as string);
      const html = await consent.text();
      await disable(app.clientId);
      const decided = await browser.post('/oauth/consent', {
        csrf: hiddenValue(html, 'csrf'),
        tx: hiddenValue(html, 'tx'),
        decision,
      });
      expectPageNotRedirect(decided);
      expect(await rowsFor(app.clientId)).toStrictEqual({ grants: 0, codes: 0 });
    },
  );

  it('gets no code when the user signs in after it was disabled, grant or not', async () => {
    const account = await createAccount();
    const app = await createApp();
    await obtainCallback(account, { app, scopes: ['profile'] });
    const before = await rowsFor(app.clientId);
    const browser = new Browser();
    const { path } = await authorizeUrl({ app, scopes: ['profile'] });
    const started = await browser.get(path);
    expect(started.headers.get('Location')).toMatch(/^\/login\?tx=/);
    const html = await (await browser.get(started.headers.get('Location') as string)).text();
    await disable(app.clientId);
    const signedIn = await browser.post('/login', {
      csrf: hiddenValue(html, 'csrf'),
      tx: hiddenValue(html, 'tx'),
      email: account.email,
      password: account.password,
    });
    expectPageNotRedirect(signedIn);
    expect((await rowsFor(app.clientId)).codes).toBe(before.codes);
  });
});
