#!/usr/bin/env node
/**
 * npm run test:browser — the platform in a real, headless Chromium against `wrangler dev`,
 * with every request to another origin blocked: the front door and the API reference (/docs
 * rendering offline), then signup → sign out → authorize → login → consent → callback, where
 * the app's own page exchanges the code and calls the API through CORS (and a stranger's page
 * cannot), the deploy smoke test with that token, /settings showing the app, what the app
 * keeps about the person (read, then deleted), and the account deleted from /settings
 * (scripts/lib/browser-erasure.mjs). Screenshots of the home, docs, login, consent, settings,
 * app-data, delete-account and goodbye pages go to screenshots/ (git-ignored). Self-contained: a fresh local D1/KV in a temporary directory,
 * a generated signing key, a free port, and a hard time limit.
 *
 * Needs Chromium at $CHROMIUM_PATH or /usr/bin/chromium (Debian: `apt-get install -y chromium`).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  blockOtherOrigins,
  checkCors,
  checkDocsOffline,
  checkFrontDoor,
  startStrangerServer,
} from './lib/browser-checks.mjs';
import { checkErasure, checkTransparency } from './lib/browser-erasure.mjs';
import { copyDocsAssets } from './lib/docs-assets.mjs';
import { smokeTest } from './smoke-test.mjs';

const TIME_LIMIT_MS = 180_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WRANGLER = join('node_modules', '.bin', 'wrangler');
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const work = mkdtempSync(join(tmpdir(), 'appmeta-browser-'));
const cleanups = [];
let lastPage;

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');
const log = (message) => console.log(`[browser-test] ${message}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function signingKeys() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return JSON.stringify({ keys: [{ ...jwk, kid: `browser-test-${Date.now()}`, alg: 'ES256' }] });
}

async function startWorker(port) {
  const persist = join(work, 'state');
  copyDocsAssets();
  const migrations = spawnSync(
    WRANGLER,
    ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist],
    { stdio: 'pipe', encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(migrations.status, 0, `migrations failed to apply: ${migrations.stderr}`);
  const issuer = `http://localhost:${port}`;
  const args = [
    'dev',
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--local',
    '--persist-to',
    persist,
  ];
  for (const [name, value] of Object.entries({
    ISSUER: issuer,
    ADMIN_TOKEN,
    SIGNING_KEYS: signingKeys(),
  })) {
    args.push('--var', `${name}:${value}`);
  }
  const child = spawn(WRANGLER, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  cleanups.push(() => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  });
  for (let waited = 0; waited < 60_000; waited += 500) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return issuer;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`wrangler dev did not start:\n${output.slice(-2000)}`);
}

/** The third-party app's callback: shows what it received, as a real app's page would. */
async function startCallbackServer(port) {
  const received = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url, `http://127.0.0.1:${port}`);
    received.push(url);
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Demo app</title><h1>Connected to appmeta</h1>');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return received;
}

async function provisionApp(issuer, redirectUri) {
  const response = await fetch(`${issuer}/api/v1/admin/applications`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Lactate Coach',
      redirect_uris: [redirectUri],
      confidential: false,
      scopes: ['profile', 'data:read', 'data:write'],
    }),
  });
  assert.equal(response.status, 201, 'the admin API provisions the app');
  return (await response.json()).client_id;
}

async function run() {
  const [port, callbackPort, strangerPort] = [await freePort(), await freePort(), await freePort()];
  const issuer = await startWorker(port);
  log(`wrangler dev at ${issuer}`);
  const received = await startCallbackServer(callbackPort);
  const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
  const clientId = await provisionApp(issuer, redirectUri);

  mkdirSync('screenshots', { recursive: true });
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  lastPage = page;
  page.setDefaultTimeout(15_000);
  const stranger = await startStrangerServer(strangerPort);
  cleanups.push(() => stranger.close());
  const strangerUrl = `http://127.0.0.1:${strangerPort}/`;
  const ours = [issuer, `http://127.0.0.1:${port}`, `http://127.0.0.1:${callbackPort}`];
  const blocked = await blockOtherOrigins(context, new Set([...ours, strangerUrl.slice(0, -1)]));

  await checkFrontDoor(page, issuer);
  await checkDocsOffline(page, issuer, blocked);
  log('front door and /docs rendered with every other origin blocked: ok');

  // Signup, then sign out so that the authorization asks for a login.
  const email = `runner-${Date.now()}@example.test`;
  const password = 'a long enough password';
  await page.goto(`${issuer}/signup`);
  await page.fill('input[name=first_name]', 'Paula');
  await page.fill('input[name=last_name]', 'Runner');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${issuer}/settings`);
  assert.ok(
    await page.getByText(`Signed in as ${email}`).isVisible(),
    'signup signs the person in',
  );
  await page.click('text=Sign out');
  await page.waitForURL(`${issuer}/login`);

  // The app sends the person to the authorize endpoint.
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(16));
  const authorize = new URL(`${issuer}/oauth/authorize`);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'profile data:read',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(name, value);
  }
  await page.goto(authorize.toString());
  await page.waitForURL(/\/login\?tx=/);
  assert.ok(await page.getByRole('heading', { name: 'Sign in' }).isVisible());
  assert.ok(
    await page.getByText('to continue to Lactate Coach').isVisible(),
    'login names the app',
  );
  await page.screenshot({ path: 'screenshots/login.png', fullPage: true });
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');

  await page.waitForURL(/\/oauth\/consent\?tx=/);
  const heading = await page.getByRole('heading').first().innerText();
  assert.match(heading, /Allow Lactate Coach to access your account\?/);
  assert.ok(await page.getByText('See your name and email address').isVisible());
  assert.ok(await page.getByText('Read your activities, traces and tests').isVisible());
  assert.equal(
    await page.getByText('Create, change and delete').count(),
    0,
    'only the asked scopes',
  );
  await page.screenshot({ path: 'screenshots/consent.png', fullPage: true });
  await page.click('button[name=decision][value=approve]');

  await page.waitForURL(/127\.0\.0\.1:\d+\/callback/);
  assert.ok(await page.getByText('Connected to appmeta').isVisible());
  const callback = received.findLast((url) => url.pathname === '/callback');
  assert.equal(callback.searchParams.get('state'), state);
  assert.equal(callback.searchParams.get('iss'), issuer);
  const code = callback.searchParams.get('code');
  assert.ok(code, 'the callback carries a code');

  // The app's page exchanges the code and calls the API from the browser (CORS).
  const { tokens, profile } = await checkCors(page, {
    issuer,
    strangerUrl,
    exchange: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: clientId,
    },
  });
  assert.equal(tokens.scope, 'profile data:read');
  assert.equal(profile.email, email);
  log('CORS: the app page exchanged the code and read the API; a stranger page could not');

  process.env.SMOKE_TOKEN = tokens.access_token;
  assert.ok(await smokeTest(issuer), 'the deploy smoke test passes against wrangler dev');
  assert.deepEqual(blocked, [], 'no request left this machine');

  await page.goto(`${issuer}/settings`);
  assert.ok(await page.getByText('Lactate Coach').isVisible(), 'settings lists the app');
  assert.ok(
    await page.getByRole('button', { name: 'Revoke access for Lactate Coach' }).isVisible(),
  );
  await page.screenshot({ path: 'screenshots/settings.png', fullPage: true });
  log('signup → authorize → login → consent → callback → token → API → settings: ok');

  const token = await checkTransparency(page, { issuer, clientId, redirectUri });
  log('transparency: the app data page showed the document, deleting it kept the app: ok');
  await checkErasure(page, { issuer, email, password, token });
  assert.deepEqual(blocked, [], 'no request left this machine');
  log('account deleted from /settings: goodbye page, login refused, token refused: ok');
}

const timer = setTimeout(() => {
  console.error('[browser-test] time limit reached');
  void cleanup().then(() => process.exit(1));
}, TIME_LIMIT_MS);

async function cleanup() {
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch {
      // best effort
    }
  }
  rmSync(work, { recursive: true, force: true });
}

if (!existsSync(CHROMIUM)) {
  console.error(`[browser-test] Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  process.exit(1);
}
run()
  .then(async () => {
    clearTimeout(timer);
    await cleanup();
    process.exit(0);
  })
  .catch(async (error) => {
    clearTimeout(timer);
    console.error(error);
    if (process.env.DEBUG_BROWSER_TEST) console.error(await lastPage?.content().catch(() => ''));
    await cleanup();
    process.exit(1);
  });
