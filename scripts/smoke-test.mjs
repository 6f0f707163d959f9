#!/usr/bin/env node
/**
 * The smoke test `npm run deploy` runs against the origin it just deployed (spec §15); also
 * usable on its own: `node scripts/smoke-test.mjs https://api.example.com`. Checks health, the
 * RFC 8414 metadata (its issuer must be this origin), the JWKS (public EC keys only), the front
 * door and the API reference's static files, that the API refuses a missing token, and, when
 * SMOKE_TOKEN holds a personal key or app token with the `profile` scope, an authenticated read
 * of /api/v1/profile. Exits non-zero on the first failure. Never prints the token.
 */
import { fileURLToPath } from 'node:url';

const TIMEOUT_MS = 10_000;

async function get(origin, path, headers = {}) {
  const response = await fetch(`${origin}${path}`, {
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { response, text: await response.text() };
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const CHECKS = [
  [
    'health',
    async (origin) => {
      const { response, text } = await get(origin, '/health');
      check(
        response.status === 200 && JSON.parse(text).status === 'ok',
        `/health: ${response.status} ${text.slice(0, 200)}`,
      );
    },
  ],
  [
    'RFC 8414 metadata',
    async (origin) => {
      const { response, text } = await get(origin, '/.well-known/oauth-authorization-server');
      check(response.status === 200, `metadata: ${response.status}`);
      const metadata = JSON.parse(text);
      check(
        metadata.issuer === origin,
        `metadata issuer ${metadata.issuer} is not ${origin} (ISSUER var)`,
      );
      check(metadata.token_endpoint === `${origin}/oauth/token`, 'metadata token_endpoint');
      check(metadata.jwks_uri === `${origin}/.well-known/jwks.json`, 'metadata jwks_uri');
    },
  ],
  [
    'JWKS',
    async (origin) => {
      const { response, text } = await get(origin, '/.well-known/jwks.json');
      check(response.status === 200, `jwks: ${response.status}`);
      const { keys } = JSON.parse(text);
      check(Array.isArray(keys) && keys.length > 0, 'jwks has no keys (SIGNING_KEYS secret)');
      for (const key of keys) {
        check(
          key.kty === 'EC' && key.crv === 'P-256' && typeof key.kid === 'string',
          'jwks key shape',
        );
        check(!('d' in key), 'jwks publishes a private key member');
      }
    },
  ],
  [
    'front door and API reference',
    async (origin) => {
      const home = await get(origin, '/');
      check(
        home.response.status === 200 && home.response.headers.get('content-security-policy'),
        `/: ${home.response.status} or no CSP`,
      );
      const docs = await get(origin, '/docs');
      check(docs.response.status === 200, `/docs: ${docs.response.status}`);
      const bundle = await get(origin, '/docs/vendor/swagger-ui-bundle.js');
      check(
        bundle.response.status === 200 && bundle.text.length > 100_000,
        `/docs/vendor/swagger-ui-bundle.js: ${bundle.response.status} (static assets deployed?)`,
      );
    },
  ],
  [
    'API refuses a missing token',
    async (origin) => {
      const { response } = await get(origin, '/api/v1/profile');
      check(
        response.status === 401 && response.headers.get('www-authenticate')?.startsWith('Bearer'),
        `/api/v1/profile without a token: ${response.status}`,
      );
    },
  ],
  [
    'authenticated round trip',
    async (origin) => {
      const token = process.env.SMOKE_TOKEN;
      if (!token) return 'skipped (set SMOKE_TOKEN to a key with the profile scope)';
      const { response, text } = await get(origin, '/api/v1/profile', {
        Authorization: `Bearer ${token}`,
      });
      check(response.status === 200, `/api/v1/profile with SMOKE_TOKEN: ${response.status}`);
      check(typeof JSON.parse(text).id === 'string', '/api/v1/profile has no id');
    },
  ],
];

/** Runs every check against `origin`; resolves true when all pass. */
export async function smokeTest(origin) {
  const base = origin.replace(/\/+$/, '');
  for (const [name, run] of CHECKS) {
    try {
      const note = await run(base);
      console.log(`  ok   ${name}${note ? ` — ${note}` : ''}`);
    } catch (error) {
      console.error(`  FAIL ${name}: ${error instanceof Error ? error.message : error}`);
      return false;
    }
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const origin = process.argv[2];
  if (!origin || !/^https?:\/\//.test(origin)) {
    console.error(
      'Usage: node scripts/smoke-test.mjs <origin>   (SMOKE_TOKEN=… for the authenticated check)',
    );
    process.exit(2);
  }
  console.log(`Smoke test of ${origin}`);
  process.exit((await smokeTest(origin)) ? 0 : 1);
}
