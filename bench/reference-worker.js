/**
 * The reference worker: the floor for a hot authenticated read on this runtime. It verifies an
 * app access token exactly as src/auth/tokens.ts does (RFC 9068 §4 / RFC 8725: ES256 only, our
 * issuer, typ at+jwt, required exp/iat/sub/jti, bounded clock tolerance, a kid from our JWKS)
 * and reads KV, nothing else. Bundled with esbuild by bench/build.mjs.
 *
 * GET /ref   one KV key (the floor the hot read is compared with).
 * GET /kv    one KV key and nothing else, no token (b0: the physical floor of a cached read).
 * GET /ref4  one bulk KV get of 4 JSON keys, the same shape as the app's hot read (profiling).
 * GET /ping  no token, no KV: the runtime's floor for any response, to compare with /health.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';

const CLOCK_TOLERANCE_SECONDS = 30;
/** Seeded by bench/servers.mjs (a module worker may export only handlers, so it keeps a copy). */
const REFERENCE_KEYS = ['bench/ref/entity', 'bench/ref/doc', 'bench/ref/grant', 'bench/ref/app'];

let jwks;

function keySet(env) {
  jwks ??= createLocalJWKSet(JSON.parse(env.PUBLIC_JWKS));
  return jwks;
}

async function verify(request, env) {
  const header = request.headers.get('Authorization') ?? '';
  if (!header.startsWith('Bearer ')) return null;
  try {
    const { payload } = await jwtVerify(header.slice(7), keySet(env), {
      algorithms: ['ES256'],
      issuer: env.ISSUER,
      typ: 'at+jwt',
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return payload;
  } catch {
    return null;
  }
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/ping') return json({ status: 'ok' });
    if (pathname === '/kv') return json({ value: await env.CACHE.get(REFERENCE_KEYS[0], 'text') });
    if (pathname !== '/ref' && pathname !== '/ref4') return json({ error: 'not found' }, 404);
    const payload = await verify(request, env);
    if (payload === null) return json({ error: 'invalid_token' }, 401);
    if (pathname === '/ref') {
      const value = await env.CACHE.get(REFERENCE_KEYS[0], 'text');
      return json({ sub: payload.sub, value });
    }
    const values = await env.CACHE.get(REFERENCE_KEYS, 'text');
    const parsed = REFERENCE_KEYS.map((key) => JSON.parse(values.get(key) ?? 'null'));
    return json({ sub: payload.sub, entity: parsed[0], document: parsed[1] });
  },
};
