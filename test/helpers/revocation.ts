/**
 * What every revocation path does after its D1 change: take the principal's views out of the
 * index and delete them from KV. Tests use it to revoke without going through the endpoints.
 */
import { env } from 'cloudflare:workers';
import { dropPrincipalViews as drop } from '../../src/storage/cached-views';
import { Database } from '../../src/storage/db';
import { Cache } from '../../src/storage/kv-cache';

export async function dropPrincipalViews(principalId: string, userId: string): Promise<void> {
  const cache = new Cache(
    env.CACHE,
    () => {},
    () => {},
  );
  await drop(new Database(env.DB), cache, principalId, userId);
}
