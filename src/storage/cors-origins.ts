/**
 * The redirect URIs of every enabled application: the data CORS decisions are derived from
 * (src/http/cors.ts). One small read, made at most every few seconds per isolate.
 */
import type { Database } from './db';

interface RedirectUrisRow {
  redirect_uris: string;
}

/** Every registered redirect URI of applications that are not disabled. */
export async function listEnabledRedirectUris(db: Database): Promise<string[]> {
  const rows = await db.all<RedirectUrisRow>(
    db.prepare('SELECT redirect_uris FROM applications WHERE disabled_at IS NULL'),
  );
  return rows.flatMap((row) => JSON.parse(row.redirect_uris) as string[]);
}
