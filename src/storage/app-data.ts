/**
 * What each authorized application keeps about the user (spec §15, "Transparency for the
 * user"): per app, how many v1 documents and v2 entries and their size in bytes (the UTF-8
 * length of the stored text, computed in SQL), the data itself (bounded), and the user's
 * deletion of one app's data without revoking it. Every read is behind the session's status
 * check; the deletion records its events (storage/changes.ts) in its own batch.
 */
import type { SessionPrincipal } from '../auth/principal';
import { type ViewRow, takePrincipalViewsStatement, takenViews } from './cached-views';
import { recordAppDataDeleted } from './changes';
import { type Database, firstOf, rowsOf } from './db';
import { readAsPrincipal, requireActive, statusStatement } from './principal-status';
import { type AuthorizationView, grantScope, toAuthorizationView } from './user-authorizations';

export interface AppDataSummary extends AuthorizationView {
  documents: number;
  documentBytes: number;
  /** Live v2 entries (an expired entry is never served, so never counted). */
  entries: number;
  entryBytes: number;
}

interface SummaryRow {
  client_id: string;
  app_name: string;
  scopes: string;
  created_at: number;
  disabled_at: number | null;
  documents: number;
  document_bytes: number;
  entries: number;
  entry_bytes: number;
}

const DOCUMENTS_OF_GRANT =
  'FROM app_metadata m WHERE m.user_id = a.user_id AND m.client_id = a.client_id';
const LIVE_ENTRIES_OF_GRANT = `FROM metadata_entries x WHERE x.user_id = a.user_id AND x.client_id = a.client_id
   AND (x.expires_at IS NULL OR x.expires_at > ?1)`;

/** Binds: now, user, client (null: every app). Each subquery searches a primary-key prefix. */
const SUMMARY_SQL = `SELECT a.client_id, p.name AS app_name, a.scopes, a.created_at, p.disabled_at,
       (SELECT count(*) ${DOCUMENTS_OF_GRANT}) AS documents,
       (SELECT COALESCE(sum(length(CAST(m.document AS BLOB))), 0) ${DOCUMENTS_OF_GRANT}) AS document_bytes,
       (SELECT count(*) ${LIVE_ENTRIES_OF_GRANT}) AS entries,
       (SELECT COALESCE(sum(length(CAST(x.value AS BLOB))), 0) ${LIVE_ENTRIES_OF_GRANT}) AS entry_bytes
  FROM authorizations a JOIN applications p ON p.client_id = a.client_id
 WHERE a.user_id = ?2 AND (?3 IS NULL OR a.client_id = ?3)
 ORDER BY a.created_at DESC, a.client_id`;

function toSummary(row: SummaryRow): AppDataSummary {
  return {
    ...toAuthorizationView(row),
    documents: row.documents,
    documentBytes: row.document_bytes,
    entries: row.entries,
    entryBytes: row.entry_bytes,
  };
}

/** Every authorized app with what it keeps about the user. One round trip. */
export async function listAppDataSummaries(
  db: Database,
  principal: SessionPrincipal,
  now: number,
): Promise<AppDataSummary[]> {
  const list = db.prepare(SUMMARY_SQL).bind(now, principal.userId, null);
  return (await readAsPrincipal<SummaryRow>(db, principal, now, list)).map(toSummary);
}

export interface AppData {
  summary: AppDataSummary;
  documents: { entity_type: string; entity_id: string; document: string; updated_at: number }[];
  entries: { key: string; value: string; expires_at: number | null; updated_at: number }[];
}

/**
 * One app's data about the user, at most `limit` documents and `limit` live entries (the
 * summary says how many exist); null when the user has not authorized the app. One round trip.
 */
export async function getAppData(
  db: Database,
  principal: SessionPrincipal,
  query: { clientId: string; now: number; limit: number },
): Promise<AppData | null> {
  const { userId } = principal;
  const { clientId, now, limit } = query;
  const [status, summary, documents, entries] = await db.batch([
    statusStatement(db, principal, now),
    db.prepare(SUMMARY_SQL).bind(now, userId, clientId),
    db
      .prepare(
        `SELECT entity_type, entity_id, document, updated_at FROM app_metadata
          WHERE user_id = ? AND client_id = ? ORDER BY entity_type, entity_id LIMIT ?`,
      )
      .bind(userId, clientId, limit),
    db
      .prepare(
        `SELECT key, value, expires_at, updated_at FROM metadata_entries
          WHERE user_id = ? AND client_id = ? AND (expires_at IS NULL OR expires_at > ?)
          ORDER BY key LIMIT ?`,
      )
      .bind(userId, clientId, now, limit),
  ]);
  requireActive(status);
  const row = firstOf<SummaryRow>(summary);
  if (row === null) return null;
  return {
    summary: toSummary(row),
    documents: rowsOf<AppData['documents'][number]>(documents),
    entries: rowsOf<AppData['entries'][number]>(entries),
  };
}

/**
 * Deletes every v1 document and v2 entry `clientId` keeps about the user, the grant kept,
 * with their change records first and the app's views of the user taken out of the index (they
 * embed its documents). One round trip; null when the user has not authorized the app.
 */
export async function deleteAppData(
  db: Database,
  principal: SessionPrincipal,
  clientId: string,
  now: number,
): Promise<{ staleViews: ViewRow[] } | null> {
  const { guard, scoped } = grantScope(db, principal, clientId, now);
  const target = { userId: principal.userId, clientId, now };
  const results = await db.batch([
    statusStatement(db, principal, now),
    scoped('SELECT 1 AS authorized FROM authorizations'),
    ...recordAppDataDeleted(db, target, guard),
    scoped('DELETE FROM app_metadata'),
    scoped('DELETE FROM app_metadata_members'),
    scoped('DELETE FROM metadata_entries'),
    takePrincipalViewsStatement(db, clientId, principal.userId),
  ]);
  requireActive(results[0]);
  if (firstOf(results[1]) === null) return null;
  return { staleViews: takenViews(results[results.length - 1]) };
}
