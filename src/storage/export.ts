/**
 * Everything a user owns, in one batch (one round trip, one consistent snapshot): the
 * profile, every entity, every application's v1 documents and live v2 entries with the
 * application's name, and the authorizations. No secrets are selected.
 */
import type { UserPrincipal } from '../auth/principal';
import { ENTITY_KINDS, type EntityJson, type EntityRow } from '../entities/kinds';
import { formatTimestamp } from '../entities/time';
import { type Database, firstOf, rowsOf } from './db';
import type { StatusRow } from './entities';
import { isActive, statusStatement } from './principal-status';
import { type UserRow, toProfile } from './profiles';
import { AUTHORIZATIONS_SQL, toAuthorizationView } from './user-authorizations';

const KIND_NAMES = ['activities', 'traces', 'tests'] as const;

export async function exportUserData(
  db: Database,
  principal: UserPrincipal,
  now: number,
): Promise<Record<string, unknown> | null> {
  const userId = principal.userId;
  const entityStatements = KIND_NAMES.map((name) => {
    const kind = ENTITY_KINDS[name];
    const time = kind.timeColumn;
    const columns = ['id', ...kind.columns, 'created_at', 'updated_at'].join(', ');
    return db
      .prepare(`SELECT ${columns} FROM ${name} WHERE user_id = ? ORDER BY ${time} DESC, id DESC`)
      .bind(userId);
  });
  const results = await db.batch([
    statusStatement(db, principal, now),
    db
      .prepare('SELECT id, email, first_name, last_name, created_at FROM users WHERE id = ?')
      .bind(userId),
    ...entityStatements,
    db
      .prepare(
        `SELECT m.client_id, p.name AS app_name, m.entity_type, m.entity_id, m.document
           FROM app_metadata m JOIN applications p ON p.client_id = m.client_id
          WHERE m.user_id = ? ORDER BY m.client_id, m.entity_type, m.entity_id`,
      )
      .bind(userId),
    db
      .prepare(
        `SELECT e.client_id, p.name AS app_name, e.key, e.value, e.expires_at
           FROM metadata_entries e JOIN applications p ON p.client_id = e.client_id
          WHERE e.user_id = ? AND (e.expires_at IS NULL OR e.expires_at > ?)
          ORDER BY e.client_id, e.key`,
      )
      .bind(userId, now),
    db.prepare(AUTHORIZATIONS_SQL).bind(userId),
  ]);
  const [status, profile, activities, traces, tests, documents, entries, authorizations] = results;
  if (!isActive(firstOf<StatusRow>(status))) return null;
  const user = firstOf<UserRow>(profile);
  if (user === null) return null;
  const entities = (name: (typeof KIND_NAMES)[number], result: D1Result | undefined) =>
    rowsOf<EntityRow>(result).map((row): EntityJson => ENTITY_KINDS[name].toJson(row));
  return {
    profile: toProfile(user),
    activities: entities('activities', activities),
    traces: entities('traces', traces),
    tests: entities('tests', tests),
    app_metadata: rowsOf<Record<string, string>>(documents).map((row) => ({
      client_id: row.client_id,
      app_name: row.app_name,
      entity_type: row.entity_type,
      entity_id: row.entity_id,
      document: JSON.parse(row.document as string) as unknown,
    })),
    metadata: rowsOf<{
      client_id: string;
      app_name: string;
      key: string;
      value: string;
      expires_at: number | null;
    }>(entries).map((row) => ({
      client_id: row.client_id,
      app_name: row.app_name,
      key: row.key,
      value: row.value,
      expires_at: row.expires_at === null ? null : formatTimestamp(row.expires_at),
    })),
    authorizations: rowsOf<Parameters<typeof toAuthorizationView>[0]>(authorizations)
      .map(toAuthorizationView)
      .map((view) => ({
        client_id: view.clientId,
        app_name: view.appName,
        scopes: view.scopes,
        created_at: formatTimestamp(view.createdAt),
      })),
  };
}
