#!/usr/bin/env node
// `npm run deploy`: the real deployment, step by step. Checks that wrangler.toml names real D1
// and KV resources, that the secrets exist, applies schema.sql to the remote D1, then deploys.
// `npm run deploy -- --dry-run` only bundles into dist/ (no account needed).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const run = (args, options = {}) =>
  spawnSync('npx', ['wrangler', ...args], { stdio: 'inherit', env, ...options });

if (process.argv.includes('--dry-run')) {
  process.exit(run(['deploy', '--dry-run', '--outdir', 'dist']).status ?? 1);
}

const config = readFileSync('wrangler.toml', 'utf8');
if (/database_id = "0{8}-/.test(config) || /^id = "0{32}"/m.test(config)) {
  console.error(`wrangler.toml still names the placeholder D1 database and KV namespace. Create them once:

  npx wrangler d1 create appmeta            # copy database_id into [[d1_databases]]
  npx wrangler kv namespace create CACHE    # copy id into [[kv_namespaces]]

then set the secrets (never commit them):

  node scripts/signing-keys.mjs > signing-keys.json     # a new ES256 key set; keep it safe
  npx wrangler secret put SIGNING_KEYS < signing-keys.json
  openssl rand -base64 32 | npx wrangler secret put ADMIN_TOKEN

and the issuer (the public origin, e.g. https://api.example.com) in wrangler.toml [vars] ISSUER,
then run npm run deploy again.`);
  process.exit(1);
}

const secrets = spawnSync('npx', ['wrangler', 'secret', 'list', '--format', 'json'], {
  env,
  encoding: 'utf8',
});
const names = secrets.status === 0 ? JSON.parse(secrets.stdout).map((secret) => secret.name) : [];
for (const required of ['ADMIN_TOKEN', 'SIGNING_KEYS']) {
  if (!names.includes(required)) {
    console.error(`Secret ${required} is not set: npx wrangler secret put ${required}`);
    process.exit(1);
  }
}
if (!/^\s*ISSUER\s*=/m.test(config)) {
  console.error(
    'Set [vars] ISSUER in wrangler.toml to the public origin: tokens name it as their iss.',
  );
  process.exit(1);
}

console.log('Applying schema.sql to the remote D1 (idempotent)…');
if (run(['d1', 'execute', 'DB', '--remote', '--file', 'schema.sql', '-y']).status !== 0)
  process.exit(1);
console.log('Deploying the Worker…');
process.exit(run(['deploy']).status ?? 1);
