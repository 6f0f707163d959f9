/**
 * What every revocation path does after its D1 change (the authorization server, key
 * revocation, disabling an application): take the principal's views out of the index and
 * delete them from KV. Tests use it to revoke without going through those endpoints.
 */
import { env } from 'cloudflare:workers';
import { dropViews, takePrincipalViewsStatement } from '../../src/storage/cached-views';
import { Database } from '../../src/storage/db';
import { Cache } from '../../src/storage/kv-cache';

export async function dropPrincipalViews(
  principalId: string,
  userId: string | null,
): Promise<void> {
  const db = new Database(env.DB);
  const [taken] = await db.batch([takePrincipalViewsStatement(db, principalId, userId)]);
  await dropViews(
    new Cache(
      env.CACHE,
      () => {},
      () => {},
    ),
    taken,
  );
}
