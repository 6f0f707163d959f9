#!/usr/bin/env node
/**
 * `npm run deploy -- --env staging|production`: the real deployment (docs/operations.md).
 * Refuses while the environment's section of wrangler.toml still holds REPLACE_ME placeholders
 * or its secrets are unset; then applies migrations/ to the remote D1, deploys the Worker and
 * its static assets, and runs scripts/smoke-test.mjs against the environment's ISSUER origin
 * (SMOKE_TOKEN adds the authenticated check). On a failed smoke test it prints the rollback.
 *
 * `npm run deploy -- --dry-run [--env NAME]` bundles and validates into dist/ without an
 * account (CI runs it for the top level and for each environment).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ensureClientDocs } from './client-docs.mjs';
import { copyDocsAssets } from './lib/docs-assets.mjs';
import { smokeTest } from './smoke-test.mjs';

const ENVIRONMENTS = ['staging', 'production'];
const REQUIRED_SECRETS = ['ADMIN_TOKEN', 'SIGNING_KEYS'];
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const wrangler = (args, options = {}) =>
  spawnSync('npx', ['wrangler', ...args], { stdio: 'inherit', env: wranglerEnv, ...options });

function fail(message) {
  console.error(message);
  process.exit(1);
}

function parseArgs(argv) {
  const index = argv.findIndex((arg) => arg === '--env' || arg.startsWith('--env='));
  let name = null;
  if (index >= 0) name = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
  if (name !== null && !ENVIRONMENTS.includes(name)) {
    fail(`Unknown environment "${name}": use --env ${ENVIRONMENTS.join(' or --env ')}.`);
  }
  return { name, dryRun: argv.includes('--dry-run') };
}

/** The lines of wrangler.toml that belong to [env.NAME] and its sub-tables. */
export function environmentSection(config, name) {
  const lines = [];
  let inside = false;
  for (const line of config.split('\n')) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$/.exec(line);
    if (header) inside = header[1] === `env.${name}` || header[1].startsWith(`env.${name}.`);
    if (inside && !line.trim().startsWith('#')) lines.push(line);
  }
  return lines.join('\n');
}

function refusePlaceholders(config, name) {
  const section = environmentSection(config, name);
  const left = [...section.matchAll(/^\s*(\S+)\s*=.*REPLACE_ME[A-Z_]*/gm)].map((m) => m[1]);
  if (section === '') fail(`wrangler.toml has no [env.${name}] section.`);
  if (left.length > 0) {
    fail(`[env.${name}] in wrangler.toml still has placeholders: ${[...new Set(left)].join(', ')}.
Create the resources once and put their ids and the domain in wrangler.toml:

  npx wrangler d1 create appmeta-${name}                 # database_id
  npx wrangler kv namespace create CACHE --env ${name}   # kv id
  # routes: the custom domain (a zone in your account); vars.ISSUER: https://<that domain>

See docs/operations.md, "First deployment of an environment".`);
  }
  const issuer = /^\s*ISSUER\s*=\s*"([^"]+)"/m.exec(section)?.[1];
  if (!issuer || !/^https:\/\/[^/]+$/.test(issuer)) {
    fail(`[env.${name}.vars] ISSUER must be the public https origin, without a path.`);
  }
  return issuer;
}

function refuseMissingSecrets(name) {
  const listed = spawnSync(
    'npx',
    ['wrangler', 'secret', 'list', '--env', name, '--format', 'json'],
    { env: wranglerEnv, encoding: 'utf8' },
  );
  if (listed.status !== 0) fail(`Could not list the secrets of ${name}:\n${listed.stderr}`);
  const names = JSON.parse(listed.stdout).map((secret) => secret.name);
  const missing = REQUIRED_SECRETS.filter((secret) => !names.includes(secret));
  if (missing.length > 0) {
    fail(`Secrets not set in ${name}: ${missing.join(', ')}. For example:
  node scripts/signing-keys.mjs > keys.json && npx wrangler secret put SIGNING_KEYS --env ${name} < keys.json
  openssl rand -base64 32 | npx wrangler secret put ADMIN_TOKEN --env ${name}`);
  }
}

const { name, dryRun } = parseArgs(process.argv.slice(2));
copyDocsAssets();
ensureClientDocs();

if (dryRun) {
  const envArgs = ['--env', name ?? ''];
  const outdir = name ? `dist/${name}` : 'dist';
  process.exit(wrangler(['deploy', '--dry-run', '--outdir', outdir, ...envArgs]).status ?? 1);
}
if (name === null) {
  fail(`Choose the environment: npm run deploy -- --env ${ENVIRONMENTS.join('|')}
(the top level of wrangler.toml is local development; --dry-run bundles it without an account).`);
}

const issuer = refusePlaceholders(readFileSync('wrangler.toml', 'utf8'), name);
refuseMissingSecrets(name);

console.log(`Applying migrations to the remote D1 of ${name}…`);
if (wrangler(['d1', 'migrations', 'apply', 'DB', '--remote', '--env', name]).status !== 0) {
  fail('Migrations failed; nothing was deployed. D1 rolled the failing migration back.');
}
console.log(`Deploying ${name}…`);
if (wrangler(['deploy', '--env', name]).status !== 0) fail('wrangler deploy failed.');

console.log(`Smoke test of ${issuer}…`);
if (!(await smokeTest(issuer))) {
  fail(`The smoke test failed. Roll the code back with:
  npx wrangler rollback --env ${name}
(migrations are not rolled back; see docs/operations.md, "Rollback").`);
}
console.log(`${name} is live at ${issuer}.`);
