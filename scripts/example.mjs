#!/usr/bin/env node
// `npm run example [-- --port N]`: runs examples/coach-app against the platform `npm run dev`
// is serving (start that first, in another terminal). Reads the demo application's credentials
// from .wrangler/demo.json (written by `npm run dev`), builds @appmeta/client and the example,
// and starts the example on http://127.0.0.1:8790: the demo app's registered
// http://127.0.0.1/callback admits any loopback port (RFC 8252 §7.3), so no new redirect URI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DEMO_STATE_PATH } from './lib/dev-state.mjs';
import { DEMO } from './lib/seed.mjs';

const args = process.argv.slice(2);
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 8790;
const appmetaUrl = process.env.APPMETA_URL ?? 'http://localhost:8787';

function fail(message) {
  console.error(message);
  process.exit(1);
}

if (!existsSync(DEMO_STATE_PATH)) {
  fail('No demo application yet: run `npm run dev` first (in another terminal), then this.');
}
const demo = JSON.parse(readFileSync(DEMO_STATE_PATH, 'utf8'));

try {
  const health = await fetch(new URL('/health', appmetaUrl));
  if (!health.ok) throw new Error(`HTTP ${health.status}`);
} catch (error) {
  fail(`appmeta is not answering at ${appmetaUrl} (${error.message}): start \`npm run dev\` first
(or set APPMETA_URL to where it runs).`);
}

for (const [what, command] of [
  ['@appmeta/client', ['run', 'build', '-w', '@appmeta/client']],
  ['the example', ['run', 'build', '-w', 'coach-app']],
]) {
  const built = spawnSync('npm', command, { stdio: 'inherit' });
  if (built.status !== 0) fail(`Building ${what} failed.`);
}

console.log(`
Coach, the example app: http://127.0.0.1:${port}
  Sign in as the demo user ${DEMO.email} / ${demo.userPassword}
  Its activities are listed; tag one with a plan and watch the webhook events arrive.
`);
const example = spawn('node', ['dist/server.js'], {
  cwd: 'examples/coach-app',
  stdio: 'inherit',
  env: {
    ...process.env,
    APPMETA_URL: appmetaUrl,
    APPMETA_CLIENT_ID: DEMO.clientId,
    APPMETA_CLIENT_SECRET: demo.clientSecret,
    COACH_PORT: String(port),
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => example.kill(signal));
example.on('exit', (code) => process.exit(code ?? 0));
