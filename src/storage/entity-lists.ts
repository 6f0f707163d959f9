/**
 * D1 query of an entity list (spec §8, §11, §14): newest first by start/timestamp (or oldest
 * change first by updated_at), keyset pages on (sort key, id), the caller's documents joined.
 * Every filter is answered from an index: tags from `entity_tags`, the caller's own metadata
 * from `app_metadata_members` (storage/entity-indexes.ts); test/routes/list-plans.test.ts runs
 * EXPLAIN QUERY PLAN on every shape and fails on a SCAN of an entity or metadata table.
 * The SQL is built from fixed fragments, one per filter present; values are always bound.
 */
import type { Principal } from '../auth/principal';
import type { EntityKind, EntityRow } from '../entities/kinds';
import type { ListFilters } from '../entities/list-query';
import type { MetadataFilter } from '../entities/metadata-filters';
import type { Database } from './db';
import {
  DOCUMENT_COLUMNS,
  type RowWithDocument,
  clientIdOf,
  documentJoinSql,
  selectColumns,
  splitDocument,
} from './entities';
import { readAsPrincipal } from './principal-status';

/** A statement's text and binds, before it is prepared (tests explain it). */
export interface ListStatement {
  sql: string;
  binds: unknown[];
}

/** ?1 entity type, ?2 caller's client id, ?3 user id: every fragment may use them. */
const MEMBERS = `SELECT x.entity_id FROM app_metadata_members x
        WHERE x.user_id = ?3 AND x.client_id = ?2 AND x.entity_type = ?1 AND x.key = ?`;

function metadataClause(filter: MetadataFilter): { sql: string; binds: unknown[] } {
  switch (filter.op) {
    case 'has':
      return { sql: `e.id IN (${MEMBERS})`, binds: [filter.key] };
    case 'missing':
      return { sql: `e.id NOT IN (${MEMBERS})`, binds: [filter.key] };
    case 'equals':
      // spec §17: `=null` matches a member that exists and is null; numbers compare as numbers.
      return {
        sql: `e.id IN (${MEMBERS} AND x.value_type = ? AND x.value IS ?)`,
        binds: [filter.key, filter.value.type, filter.value.value],
      };
  }
}

/** The WHERE clauses after `e.user_id = ?3`, each with its binds, in text order. */
function filterClauses(kind: EntityKind, filters: ListFilters): Array<[string, unknown[]]> {
  const time = `e.${kind.timeColumn}`;
  const clauses: Array<[string, unknown[]]> = [];
  if (filters.start !== null) clauses.push([`${time} >= ?`, [filters.start]]);
  if (filters.end !== null) clauses.push([`${time} <= ?`, [filters.end]]);
  if (filters.sports !== null) {
    // spec §11: `sports=cycling` includes `cycling.*`; LIKE is avoided because `_` is a wildcard.
    clauses.push([
      `EXISTS (SELECT 1 FROM json_each(?) s
          WHERE e.sport = s.value OR substr(e.sport, 1, length(s.value) + 1) = s.value || '.')`,
      [JSON.stringify(filters.sports)],
    ]);
  }
  if (filters.tags !== null) {
    clauses.push([
      `e.id IN (SELECT t.entity_id FROM entity_tags t
          WHERE t.user_id = ?3 AND t.entity_type = ?1 AND t.tag IN (SELECT value FROM json_each(?)))`,
      [JSON.stringify(filters.tags)],
    ]);
  }
  if (filters.updatedSince !== null) clauses.push(['e.updated_at >= ?', [filters.updatedSince]]);
  if (filters.createdBy !== null) clauses.push(['e.created_by = ?', [filters.createdBy]]);
  for (const filter of filters.metadata) {
    const clause = metadataClause(filter);
    clauses.push([clause.sql, clause.binds]);
  }
  return clauses;
}

/**
 * The list statement: `limit + 1` rows, so the caller knows whether a next page exists.
 * The keyset condition is a row-value comparison the (user_id, sort key, id) index answers.
 */
export function listStatement(
  principal: Principal,
  kind: EntityKind,
  filters: ListFilters,
): ListStatement {
  const byUpdate = filters.sort === 'updated_at';
  const sortColumn = byUpdate ? 'e.updated_at' : `e.${kind.timeColumn}`;
  const direction = byUpdate ? 'ASC' : 'DESC';
  const clauses = filterClauses(kind, filters);
  if (filters.cursor !== null) {
    clauses.push([
      `(${sortColumn}, e.id) ${byUpdate ? '>' : '<'} (?, ?)`,
      [filters.cursor.key, filters.cursor.id],
    ]);
  }
  const where = ['e.user_id = ?3', ...clauses.map(([sql]) => sql)].join('\n          AND ');
  return {
    sql: `SELECT ${selectColumns(kind, 'e')}, ${DOCUMENT_COLUMNS}
         FROM ${kind.name} e ${documentJoinSql('e.user_id', 'e.id')}
        WHERE ${where}
        ORDER BY ${sortColumn} ${direction}, e.id ${direction}
        LIMIT ? OFFSET ?`,
    binds: [
      kind.name,
      clientIdOf(principal),
      principal.userId,
      ...clauses.flatMap(([, binds]) => binds),
      filters.limit + 1,
      filters.offset,
    ],
  };
}

/** One page of a list and whether more items follow it. */
export interface ListPage {
  rows: Array<RowWithDocument<EntityRow>>;
  more: boolean;
}

/** Lists one page of entities with the calling application's documents; one round trip. */
export async function listEntitiesWithDocuments(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  filters: ListFilters,
  now: number,
): Promise<ListPage> {
  const statement = listStatement(principal, kind, filters);
  const list = db.prepare(statement.sql).bind(...statement.binds);
  const rows = await readAsPrincipal<EntityRow>(db, principal, now, list);
  const page = rows.slice(0, filters.limit);
  return {
    rows: page.map((row) => splitDocument(row) as RowWithDocument<EntityRow>),
    more: rows.length > filters.limit,
  };
}
