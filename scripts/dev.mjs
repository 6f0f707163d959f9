#!/usr/bin/env node
// `npm run dev [-- --port N]`: the whole platform locally. Applies migrations/ to the local D1
// (`wrangler d1 migrations apply DB --local`), copies the API reference's files into public/,
// creates .dev.vars (ADMIN_TOKEN, SIGNING_KEYS, WEBHOOK_SECRETS_KEY) when missing, seeds the demo
// user and the demo application with its webhook endpoint, prints them, starts the demo app's
// OAuth callback and webhook page, and serves the Worker (which consumes its queue).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { startCallbackServer } from './lib/callback-server.mjs';
import { encryptWebhookSecret, ensureDemoState, ensureDevVars } from './lib/dev-state.mjs';
import { ensureClientDocs } from './client-docs.mjs';
import { copyDocsAssets } from './lib/docs-assets.mjs';
import { DEMO, seedSql } from './lib/seed.mjs';

const args = process.argv.slice(2);
const portIndex = args.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
let port = 8787;
if (portIndex >= 0) {
  const value = args[portIndex].includes('=') ? args[portIndex].split('=')[1] : args[portIndex + 1];
  port = Number(value);
  args.splice(portIndex, args[portIndex].includes('=') ? 1 : 2);
}
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('Usage: npm run dev -- [--port N]');
  process.exit(2);
}
const callbackPort = port + 1;
const origin = `http://localhost:${port}`;
const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
const webhookUrl = `http://127.0.0.1:${callbackPort}/webhooks`;
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

const vars = await ensureDevVars();
const demo = ensureDemoState();

copyDocsAssets();
// The @appmeta/client reference at /docs/client/ (TypeDoc), rebuilt only when its sources changed.
ensureClientDocs();

function wranglerStep(args, failure) {
  // Not a TTY: wrangler applies migrations without asking (its non-interactive mode).
  const result = spawnSync('npx', ['wrangler', ...args], { env: wranglerEnv, encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    console.error(failure);
    process.exit(1);
  }
}

// The numbered migrations (the same files deploy applies remotely), then the idempotent seed.
wranglerStep(['d1', 'migrations', 'apply', 'DB', '--local'], 'Applying migrations/ failed.');
mkdirSync('.wrangler/tmp', { recursive: true });
const seedFile = '.wrangler/tmp/dev-seed.sql';
writeFileSync(
  seedFile,
  `${seedSql({
    password: demo.userPassword,
    clientSecret: demo.clientSecret,
    redirectUris: [redirectUri, 'http://127.0.0.1/callback'],
    webhook: {
      url: webhookUrl,
      secretEnc: await encryptWebhookSecret(
        vars.WEBHOOK_SECRETS_KEY,
        DEMO.webhookId,
        demo.webhookSecret,
      ),
    },
  })}\n`,
);
wranglerStep(
  ['d1', 'execute', 'DB', '--local', '--file', seedFile, '-y'],
  'Seeding the local D1 failed.',
);

const codeChallenge = createHash('sha256').update(demo.codeVerifier).digest('base64url');
const state = randomBytes(8).toString('base64url');
const authorizeUrl =
  `${origin}/oauth/authorize?response_type=code&client_id=${DEMO.clientId}` +
  `&redirect_uri=${encodeURIComponent(redirectUri)}&scope=${encodeURIComponent(DEMO.scopes.join(' '))}` +
  `&state=${state}&code_challenge=${codeChallenge}&code_challenge_method=S256`;

startCallbackServer({
  port: callbackPort,
  origin,
  clientId: DEMO.clientId,
  clientSecret: demo.clientSecret,
  redirectUri,
  codeVerifier: demo.codeVerifier,
  webhookSecret: demo.webhookSecret,
});

console.log(`
appmeta development server
  API            ${origin}        (docs: ${origin}/docs)
  Admin token    ${vars.ADMIN_TOKEN}   (from .dev.vars)
  Demo user      ${DEMO.email} / ${demo.userPassword}
  Demo app       client_id ${DEMO.clientId}
                 client_secret ${demo.clientSecret}
                 redirect_uri ${redirectUri}
  PKCE verifier  ${demo.codeVerifier}

Authorize the demo app in a browser (log in as the demo user, approve):
  ${authorizeUrl}
The callback page at ${redirectUri} shows the code and the curl line that exchanges it.
Webhooks: the demo app's endpoint ${webhookUrl} prints every event below, verified.
`);

const wrangler = spawn(
  'npx',
  [
    'wrangler',
    'dev',
    '--port',
    String(port),
    '--var',
    `ISSUER:${origin}`,
    // spec §13: in development the first webhook retry comes within 10 s.
    '--var',
    'WEBHOOK_RETRY_BASE_SECONDS:5',
    '--show-interactive-dev-session=false',
    ...args,
  ],
  { stdio: 'inherit', env: wranglerEnv },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => wrangler.kill(signal));
}
wrangler.on('exit', (code) => process.exit(code ?? 0));
