#!/usr/bin/env node
/**
 * Walks the OAuth flow as a third-party app would, for a newcomer after `npm run dev`:
 *
 *   node scripts/oauth-demo.mjs --client-id app_… [--secret …] \
 *     [--redirect-uri http://127.0.0.1:9876/callback] [--issuer http://localhost:8787] \
 *     [--scope "profile data:read"]
 *
 * Prints the authorize URL (PKCE S256, random state), listens on the loopback redirect URI,
 * receives the code when you approve in the browser, exchanges it, and calls
 * GET /api/v1/profile with the access token. Without a listener (another redirect URI), paste
 * the URL the browser landed on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'client-id': { type: 'string' },
    secret: { type: 'string' },
    'redirect-uri': { type: 'string', default: 'http://127.0.0.1:9876/callback' },
    issuer: { type: 'string', default: 'http://localhost:8787' },
    scope: { type: 'string', default: 'profile data:read' },
  },
});
if (!values['client-id']) {
  console.error(
    'usage: node scripts/oauth-demo.mjs --client-id <id> [--secret <s>] [--redirect-uri <uri>]',
  );
  process.exit(2);
}
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const issuer = values.issuer.replace(/\/+$/, '');
const redirectUri = values['redirect-uri'];
const verifier = b64url(randomBytes(32));
const state = b64url(randomBytes(16));
const authorize = new URL(`${issuer}/oauth/authorize`);
for (const [name, value] of Object.entries({
  response_type: 'code',
  client_id: values['client-id'],
  redirect_uri: redirectUri,
  scope: values.scope,
  state,
  code_challenge: b64url(createHash('sha256').update(verifier).digest()),
  code_challenge_method: 'S256',
})) {
  authorize.searchParams.set(name, value);
}
console.log(`\nOpen this URL in your browser, sign in and approve:\n\n  ${authorize}\n`);

const callback = await receiveCallback(new URL(redirectUri));
if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
if (callback.searchParams.get('iss') !== issuer) throw new Error('iss mismatch (RFC 9207)');
if (callback.searchParams.get('error'))
  throw new Error(`denied: ${callback.searchParams.get('error')}`);

const form = new URLSearchParams({
  grant_type: 'authorization_code',
  code: callback.searchParams.get('code') ?? '',
  redirect_uri: redirectUri,
  code_verifier: verifier,
});
const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
if (values.secret) {
  const id = encodeURIComponent(values['client-id']);
  headers.Authorization = `Basic ${Buffer.from(`${id}:${encodeURIComponent(values.secret)}`).toString('base64')}`;
} else {
  form.set('client_id', values['client-id']);
}
const tokenResponse = await fetch(`${issuer}/oauth/token`, { method: 'POST', headers, body: form });
const tokens = await tokenResponse.json();
if (!tokenResponse.ok) throw new Error(`token endpoint: ${JSON.stringify(tokens)}`);
console.log(`Token response: scope "${tokens.scope}", expires in ${tokens.expires_in} s.`);
const profile = await fetch(`${issuer}/api/v1/profile`, {
  headers: { Authorization: `Bearer ${tokens.access_token}` },
});
console.log(`GET /api/v1/profile → ${profile.status}`, await profile.json());
console.log(
  `\nTry it yourself:\n  curl -H "Authorization: Bearer ${tokens.access_token}" ${issuer}/api/v1/profile\n`,
);

/** Listens on a loopback redirect URI, or asks for the URL the browser landed on. */
async function receiveCallback(uri) {
  if (uri.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(uri.hostname)) {
    return new Promise((resolve) => {
      const server = createServer((request, response) => {
        const url = new URL(request.url ?? '/', uri);
        if (url.pathname !== uri.pathname) return response.writeHead(404).end();
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(
          'appmeta demo: authorized. You can close this tab and return to the terminal.',
        );
        server.close();
        resolve(url);
      });
      server.listen(Number(uri.port || 80), uri.hostname.replace(/^\[|\]$/g, ''));
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const pasted = await rl.question('Paste the URL your browser was sent to: ');
  rl.close();
  return new URL(pasted.trim());
}
