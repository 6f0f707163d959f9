/**
 * The browser test's checks of the front door, the offline API reference and CORS from a real
 * page (scripts/browser-test.mjs runs them). Every request to an origin the test did not start
 * is aborted and recorded by blockOtherOrigins, so "renders offline" is what is checked.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

/** Aborts every request whose origin is not in `allowed`; returns the list of what was blocked. */
export async function blockOtherOrigins(context, allowed) {
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    const origin = /^(https?|wss?):/.test(url) ? new URL(url).origin : null;
    if (origin === null || allowed.has(origin)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return blocked;
}

/** Collects CSP violations and page errors reported on the console while `action` runs. */
async function watchConsole(page, action) {
  const problems = [];
  const onConsole = (message) => {
    if (message.type() === 'error') problems.push(message.text());
  };
  const onError = (error) => problems.push(String(error));
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    await action();
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
  return problems;
}

export async function checkFrontDoor(page, issuer) {
  const response = await page.goto(`${issuer}/`);
  assert.equal(response.status(), 200);
  assert.ok(response.headers()['content-security-policy'], 'the front door has a CSP');
  assert.ok(await page.getByRole('heading', { name: 'appmeta' }).isVisible());
  for (const name of ['Sign in', 'Settings', 'API reference', 'Health']) {
    assert.ok(await page.getByRole('link', { name }).isVisible(), `the front door links ${name}`);
  }
  await page.screenshot({ path: 'screenshots/home.png', fullPage: true });
  await page.getByRole('link', { name: 'API reference' }).click();
  await page.waitForURL(`${issuer}/docs`);
}

/** /docs renders the reference from this origin alone, with no CSP violation. */
export async function checkDocsOffline(page, issuer, blocked) {
  const before = blocked.length;
  const problems = await watchConsole(page, async () => {
    const response = await page.goto(`${issuer}/docs`);
    assert.equal(response.status(), 200);
    await page.locator('.swagger-ui .info .title').waitFor();
    await page.getByText('/oauth/token', { exact: true }).first().waitFor();
    await page.getByText('/api/v1/activities', { exact: true }).first().waitFor();
  });
  assert.match(await page.locator('.swagger-ui .info .title').innerText(), /appmeta API/);
  assert.deepEqual(blocked.slice(before), [], '/docs asked for nothing from another origin');
  assert.deepEqual(problems, [], '/docs logged no CSP violation or error');
  await page.screenshot({ path: 'screenshots/docs.png', fullPage: false });
}

/** A page on another origin: a stand-in for a site the user did not authorize. */
export async function startStrangerServer(port) {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Stranger</title><h1>Some other site</h1>');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/**
 * From the app's own page (the origin of its redirect URI), the browser exchanges the code at
 * /oauth/token and reads /api/v1/profile with the token (a preflighted request): CORS allows
 * both. From a stranger's page the same API call is refused by the browser.
 */
export async function checkCors(page, { issuer, strangerUrl, exchange }) {
  const tokens = await page.evaluate(
    async ({ issuer, exchange }) => {
      const response = await fetch(`${issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(exchange),
      });
      return { status: response.status, body: await response.json() };
    },
    { issuer, exchange },
  );
  assert.equal(tokens.status, 200, 'the app page exchanges the code itself');
  const profile = await page.evaluate(
    async ({ issuer, token }) => {
      const response = await fetch(`${issuer}/api/v1/profile`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: await response.json() };
    },
    { issuer, token: tokens.body.access_token },
  );
  assert.equal(profile.status, 200, 'the app page reads the API');
  await page.goto(strangerUrl);
  const refused = await page.evaluate(
    async ({ issuer, token }) => {
      try {
        await fetch(`${issuer}/api/v1/profile`, { headers: { Authorization: `Bearer ${token}` } });
        return 'readable';
      } catch (error) {
        return error.name;
      }
    },
    { issuer, token: tokens.body.access_token },
  );
  assert.equal(refused, 'TypeError', 'another origin cannot read the API');
  return { tokens: tokens.body, profile: profile.body };
}
