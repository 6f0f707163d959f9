/** D1 query of an entity list (spec §8, §11): newest first, the caller's documents joined. */
import type { Principal } from '../auth/principal';
import type { EntityKind, EntityRow } from '../entities/kinds';
import type { ListFilters } from '../entities/list-query';
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

/** Lists entities newest first with the calling application's documents; one round trip. */
export async function listEntitiesWithDocuments(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  filters: ListFilters,
  now: number,
): Promise<Array<RowWithDocument<EntityRow>>> {
  const time = `e.${kind.timeColumn}`;
  // spec §11: `sports=cycling` includes `cycling.*`; LIKE is avoided because `_` is a wildcard.
  const list = db
    .prepare(
      `SELECT ${selectColumns(kind, 'e')}, ${DOCUMENT_COLUMNS}
         FROM ${kind.name} e ${documentJoinSql('e.user_id', 'e.id')}
        WHERE e.user_id = ?3
          AND (?4 IS NULL OR ${time} >= ?4)
          AND (?5 IS NULL OR ${time} <= ?5)
          AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(?6) s
                WHERE e.sport = s.value OR substr(e.sport, 1, length(s.value) + 1) = s.value || '.'))
          AND (?7 IS NULL OR EXISTS (SELECT 1 FROM json_each(e.tags) t
                JOIN json_each(?7) q ON t.value = q.value))
        ORDER BY ${time} DESC, e.id DESC
        LIMIT ?8 OFFSET ?9`,
    )
    .bind(
      kind.name,
      clientIdOf(principal),
      principal.userId,
      filters.start,
      filters.end,
      filters.sports === null ? null : JSON.stringify(filters.sports),
      filters.tags === null ? null : JSON.stringify(filters.tags),
      filters.limit,
      filters.offset,
    );
  const rows = await readAsPrincipal<EntityRow>(db, principal, now, list);
  return rows.map((row) => splitDocument(row) as RowWithDocument<EntityRow>);
}
