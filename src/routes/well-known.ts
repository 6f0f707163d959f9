/** Public, unauthenticated endpoints: health and the signing keys (RFC 7517 JWKS). */
import { Hono } from 'hono';
import { keySet } from '../auth/require-access-token';
import type { AppEnv } from '../env';

export const wellKnownApp = new Hono<AppEnv>();

wellKnownApp.get('/health', (c) => {
  c.var.cache.outcome = 'bypass';
  return c.json({ status: 'ok' });
});

wellKnownApp.get('/.well-known/jwks.json', async (c) => {
  const keys = await keySet(c.env);
  return c.json(keys.publicJwks, 200, { 'Cache-Control': 'public, max-age=300' });
});
