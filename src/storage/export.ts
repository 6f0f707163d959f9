/**
 * Everything a user owns, in one batch (one round trip, one consistent snapshot): the
 * profile, every entity, every application's v1 documents and live v2 entries with the
 * application's name, and the authorizations. No secrets are selected.
 */
import type { UserPrincipal } from '../auth/principal';
import { ENTITY_KINDS, type EntityKindName, type EntityRow } from '../entities/kinds';
import type { UserRow } from '../entities/profile';
import { type Database, firstOf, rowsOf } from './db';
import { selectColumns } from './entities';
import { requireActive, statusStatement } from './principal-status';
import { PROFILE_HOLDER } from './profiles';
import {
  AUTHORIZATIONS_SQL,
  type AuthorizationView,
  toAuthorizationView,
} from './user-authorizations';

const KIND_NAMES = ['activities', 'traces', 'tests'] as const satisfies EntityKindName[];

export interface DocumentExportRow {
  client_id: string;
  app_name: string;
  entity_type: string;
  entity_id: string;
  document: string;
}

export interface EntryExportRow {
  client_id: string;
  app_name: string;
  key: string;
  value: string;
  expires_at: number | null;
}

export interface UserExport {
  user: UserRow;
  entities: Record<(typeof KIND_NAMES)[number], EntityRow[]>;
  documents: DocumentExportRow[];
  entries: EntryExportRow[];
  authorizations: AuthorizationView[];
}

/** The user's data; null when the user no longer exists. */
export async function getUserExport(
  db: Database,
  principal: UserPrincipal,
  now: number,
): Promise<UserExport | null> {
  const userId = principal.userId;
  const entityStatements = KIND_NAMES.map((name) => {
    const kind = ENTITY_KINDS[name];
    return db
      .prepare(
        `SELECT ${selectColumns(kind)} FROM ${name} WHERE user_id = ?
          ORDER BY ${kind.timeColumn} DESC, id DESC`,
      )
      .bind(userId);
  });
  const [status, profile, activities, traces, tests, documents, entries, authorizations] =
    await db.batch([
      statusStatement(db, principal, now),
      db
        .prepare(`SELECT ${PROFILE_HOLDER.columns} FROM ${PROFILE_HOLDER.from} WHERE e.id = ?`)
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
  requireActive(status);
  const user = firstOf<UserRow>(profile);
  if (user === null) return null;
  return {
    user,
    entities: {
      activities: rowsOf<EntityRow>(activities),
      traces: rowsOf<EntityRow>(traces),
      tests: rowsOf<EntityRow>(tests),
    },
    documents: rowsOf<DocumentExportRow>(documents),
    entries: rowsOf<EntryExportRow>(entries),
    authorizations:
      rowsOf<Parameters<typeof toAuthorizationView>[0]>(authorizations).map(toAuthorizationView),
  };
}
