/**
 * The browser test's checks of transparency and account erasure in /settings (spec §15;
 * scripts/browser-test.mjs runs them after the OAuth flow): the app is authorized once more
 * with `data:write` and keeps a document about the person; /settings shows it, its page shows
 * the document HTML-escaped, and the person deletes it while the app stays authorized. Then the
 * person deletes the account (password and typed confirmation), lands on the goodbye page, and
 * can no longer sign in; the app's token is refused.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

/** Authorizes the app again with data:write in the signed-in browser; returns an access token. */
async function tokenWithWrite(page, app) {
  const verifier = b64url(randomBytes(32));
  const authorize = new URL(`${app.issuer}/oauth/authorize`);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: 'profile data:read data:write',
    state: 'transparency',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(name, value);
  }
  await page.goto(authorize.toString());
  await page.waitForURL(/\/oauth\/consent\?tx=/);
  await page.click('button[name=decision][value=approve]');
  await page.waitForURL(/127\.0\.0\.1:\d+\/callback/);
  const code = new URL(page.url()).searchParams.get('code');
  const response = await fetch(`${app.issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUri,
      code_verifier: verifier,
      client_id: app.clientId,
    }),
  });
  assert.equal(response.status, 200, 'the second code exchanges');
  return (await response.json()).access_token;
}

const api = (issuer, token, path, init = {}) =>
  fetch(`${issuer}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });

/** The app keeps a document; the person reads it in /settings and deletes it. Returns a token. */
export async function checkTransparency(page, app) {
  const token = await tokenWithWrite(page, app);
  const document = { plan: '<b>base</b> block', week: 3 };
  const put = await api(app.issuer, token, '/api/v1/profile/app-metadata', {
    method: 'PUT',
    body: JSON.stringify(document),
  });
  assert.equal(put.status, 200, 'the app writes its document about the person');
  await page.goto(`${app.issuer}/settings`);
  assert.ok(await page.getByText('1 document, 0 entries').isVisible(), 'settings counts it');
  await page.getByRole('link', { name: 'See what Lactate Coach keeps about you' }).click();
  await page.waitForURL(/\/settings\/app-data\?client_id=/);
  assert.ok(await page.getByText('What Lactate Coach keeps about you').isVisible());
  assert.ok(
    await page.getByText('"plan": "<b>base</b> block"').isVisible(),
    'the document is shown as text, its markup escaped',
  );
  await page.screenshot({ path: 'screenshots/app-data.png', fullPage: true });
  await page.getByRole('button', { name: "Delete Lactate Coach's data about me" }).click();
  await page.waitForURL(/\/settings\?done=app-data-deleted/);
  assert.ok(await page.getByText('0 documents, 0 entries').isVisible(), 'the data is gone');
  const after = await api(app.issuer, token, '/api/v1/profile/app-metadata');
  assert.equal(after.status, 404, 'the document is deleted');
  const still = await api(app.issuer, token, '/api/v1/profile');
  assert.equal(still.status, 200, 'the app stays authorized');
  return token;
}

/** The person deletes the account from /settings; then nothing of it answers. */
export async function checkErasure(page, { issuer, email, password, token }) {
  await page.goto(`${issuer}/settings`);
  await page.getByRole('link', { name: 'Delete my account…' }).click();
  await page.waitForURL(`${issuer}/settings/delete-account`);
  await page.fill('input[name=password]', password);
  await page.fill('input[name=confirm]', 'DELETE');
  await page.screenshot({ path: 'screenshots/delete-account.png', fullPage: true });
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await page.waitForURL(`${issuer}/goodbye`);
  assert.ok(await page.getByRole('heading', { name: 'Your account is deleted' }).isVisible());
  await page.screenshot({ path: 'screenshots/goodbye.png', fullPage: true });
  await page.goto(`${issuer}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  assert.ok(
    await page.getByText('That email and password do not match an account.').isVisible(),
    'login fails after erasure',
  );
  const refused = await api(issuer, token, '/api/v1/profile');
  assert.equal(refused.status, 401, "the app's token is refused");
}
