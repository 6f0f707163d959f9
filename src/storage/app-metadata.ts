/**
 * D1 writes of v1 application metadata. Each write is one batch: the principal's status and an
 * "explain" row (does the entity exist, what is the current version) for the response, the
 * write itself, which re-checks everything in its own WHERE clause, and its change record.
 * The precondition check and the write are therefore one atomic statement (RFC 9110 §13.1).
 */
import type { AppPrincipal } from '../auth/principal';
import { randomToken } from '../ids';
import { type Preconditions, etagOf, writeAllowed } from '../metadata/preconditions';
import { entityExistsSql } from './cached-views';
import { type Condition, recordAppChange } from './changes';
import { type Database, firstOf } from './db';
import { refreshMembersStatements } from './entity-indexes';
import type { EntityType } from './kv-cache';
import { activeGuard, requireActive, statusStatement } from './principal-status';

export type WriteOutcome =
  | { kind: 'not_found' }
  | { kind: 'precondition_failed' }
  | { kind: 'too_large' }
  | { kind: 'written'; document: string; version: string }
  | { kind: 'deleted' };

/** Binds: user, type, entity, client. */
const CURRENT_DOCUMENT = `c.user_id = ? AND c.entity_type = ? AND c.entity_id = ? AND c.client_id = ?`;

/**
 * SQL true when the current version in `column` passes the preconditions (binds:
 * preconditionBinds); the same rule as writeAllowed. Weak tags never reach here: they never
 * match (RFC 9110 §8.8.3.2).
 */
function passesSql(column: string): string {
  return `((? IS NULL OR ? = 1 OR ${column} IN (SELECT value FROM json_each(?)))
       AND NOT (? = 1 OR ${column} IN (SELECT value FROM json_each(?))))`;
}

function preconditionBinds(pre: Preconditions): unknown[] {
  const matchAny = pre.ifMatch === null ? null : pre.ifMatch.any ? 1 : 0;
  return [
    matchAny,
    matchAny,
    JSON.stringify(pre.ifMatch?.tags ?? []),
    pre.ifNoneMatch?.any ? 1 : 0,
    JSON.stringify(pre.ifNoneMatch?.tags ?? []),
  ];
}

interface ExplainRow {
  entity_exists: number;
  version: string | null;
  patched_bytes: number | null;
}

export interface DocumentTarget {
  principal: AppPrincipal;
  type: EntityType;
  entityId: string;
  now: number;
}

function documentKey(target: DocumentTarget) {
  const { principal, type, entityId } = target;
  return { userId: principal.userId, clientId: principal.clientId, entityType: type, entityId };
}

function currentBinds(target: DocumentTarget): unknown[] {
  return [target.principal.userId, target.type, target.entityId, target.principal.clientId];
}

/** The explain statement of a write: does the entity exist, the current version, the patched size. */
function explainStatement(
  db: Database,
  target: DocumentTarget,
  patch: string | null,
): D1PreparedStatement {
  const patchedBytes =
    patch === null ? 'NULL' : `length(CAST(json_patch(COALESCE(c.document, '{}'), ?) AS BLOB))`;
  return db
    .prepare(
      `SELECT ${entityExistsSql(target.type)} AS entity_exists, c.version AS version,
              ${patchedBytes} AS patched_bytes
         FROM (SELECT 1) one LEFT JOIN app_metadata c ON ${CURRENT_DOCUMENT}`,
    )
    .bind(
      target.entityId,
      target.principal.userId,
      ...(patch === null ? [] : [patch]),
      ...currentBinds(target),
    );
}

/** Status and explain statements that open every write batch. */
function explainStatements(
  db: Database,
  target: DocumentTarget,
  patch: string | null,
): D1PreparedStatement[] {
  return [statusStatement(db, target.principal, target.now), explainStatement(db, target, patch)];
}

/** The change record of a document write or delete, for the owning application alone. */
function documentChange(
  db: Database,
  target: DocumentTarget,
  type: 'app_metadata.updated' | 'app_metadata.deleted',
  when: Condition,
  version: string | null,
): D1PreparedStatement {
  return recordAppChange(
    db,
    target.principal.clientId,
    {
      type,
      userId: target.principal.userId,
      entityType: target.type,
      entityId: target.entityId,
      etag: version === null ? null : etagOf(version),
      now: target.now,
    },
    when,
  );
}

/**
 * PUT (`replace`: the document as given) or PATCH (`merge`: RFC 7396 applied by SQLite's
 * json_patch to the current document, or to `{}` when there is none), the merged result's size
 * checked in the same statement. One round trip; the new version is random and never reused,
 * so its presence after the write is exactly "the write applied" for the change record.
 */
export async function writeDocument(
  db: Database,
  target: DocumentTarget,
  input: DocumentInput,
  pre: Preconditions,
): Promise<WriteOutcome> {
  const write = documentWrite(db, target, input, pre);
  const [status, ...results] = await db.batch([
    statusStatement(db, target.principal, target.now),
    ...write.statements,
  ]);
  requireActive(status);
  return write.outcome(results);
}

export interface DocumentInput {
  mode: 'replace' | 'merge';
  json: string;
  maxBytes: number;
}

/**
 * The statements of one document write (explain, the conditional upsert, its change record,
 * the members index) and how to read their results, so a batch of items runs the very same
 * statements as a single write, behind one status check.
 */
export function documentWrite(
  db: Database,
  target: DocumentTarget,
  input: DocumentInput,
  pre: Preconditions,
): { statements: D1PreparedStatement[]; outcome(results: D1Result[]): WriteOutcome } {
  const merge = input.mode === 'merge';
  const version = randomToken(16);
  const written = {
    sql: `EXISTS (SELECT 1 FROM app_metadata c WHERE ${CURRENT_DOCUMENT} AND c.version = ?)`,
    binds: [...currentBinds(target), version],
  };
  const statements = [
    explainStatement(db, target, merge ? input.json : null),
    upsertStatement(db, target, input, pre, version),
    documentChange(db, target, 'app_metadata.updated', written, version),
    ...refreshMembersStatements(db, documentKey(target)),
  ];
  return {
    statements,
    outcome([explained, row]) {
      const current = firstOf<ExplainRow>(explained) as ExplainRow;
      if (current.entity_exists !== 1) return { kind: 'not_found' };
      const stored = firstOf<{ document: string; version: string }>(row);
      if (stored !== null) return { kind: 'written', ...stored };
      if (!writeAllowed(pre, current.version)) return { kind: 'precondition_failed' };
      return merge && (current.patched_bytes ?? 0) > input.maxBytes
        ? { kind: 'too_large' }
        : { kind: 'precondition_failed' };
    },
  };
}

function upsertStatement(
  db: Database,
  target: DocumentTarget,
  input: DocumentInput,
  pre: Preconditions,
  version: string,
): D1PreparedStatement {
  const { principal, type, entityId, now } = target;
  const merge = input.mode === 'merge';
  const guard = activeGuard(principal, now);
  const fresh = merge ? `json_patch('{}', ?)` : '?';
  const sizeOk = (expression: string) => (merge ? `length(CAST(${expression} AS BLOB)) <= ?` : '1');
  const freshSizeBinds = merge ? [input.json, input.maxBytes] : [];
  return db
    .prepare(
      `INSERT INTO app_metadata
              (user_id, client_id, entity_type, entity_id, document, version, created_at, updated_at)
       SELECT ?, ?, ?, ?, ${fresh}, ?, ?, ?
        WHERE ${guard.sql}
          AND ${entityExistsSql(type)}
          AND (EXISTS (SELECT 1 FROM app_metadata c WHERE ${CURRENT_DOCUMENT})
               OR (? = 1 AND ${sizeOk(fresh)}))
       ON CONFLICT (user_id, entity_type, entity_id, client_id) DO UPDATE
          SET document = ${merge ? 'json_patch(app_metadata.document, ?)' : 'excluded.document'},
              version = excluded.version, updated_at = excluded.updated_at
        WHERE ${passesSql('app_metadata.version')}
          AND ${sizeOk('json_patch(app_metadata.document, ?)')}
       RETURNING document, version`,
    )
    .bind(
      principal.userId,
      principal.clientId,
      type,
      entityId,
      input.json,
      version,
      now,
      now,
      ...guard.binds,
      entityId,
      principal.userId,
      ...currentBinds(target),
      pre.ifMatch === null ? 1 : 0,
      ...freshSizeBinds,
      ...(merge ? [input.json] : []),
      ...preconditionBinds(pre),
      ...freshSizeBinds,
    );
}

/**
 * DELETE: 204 whether or not a document existed, unless a precondition fails. One round trip;
 * `app_metadata.deleted` is recorded first under the delete's own condition, so a DELETE of an
 * absent document records nothing (spec §17).
 */
export async function deleteDocument(
  db: Database,
  target: DocumentTarget,
  pre: Preconditions,
): Promise<WriteOutcome> {
  const guard = activeGuard(target.principal, target.now);
  const condition = `${CURRENT_DOCUMENT} AND ${guard.sql} AND ${passesSql('c.version')}`;
  const binds = [...currentBinds(target), ...guard.binds, ...preconditionBinds(pre)];
  const removes = {
    sql: `EXISTS (SELECT 1 FROM app_metadata c WHERE ${condition})`,
    binds,
  };
  const [status, explained] = await db.batch([
    ...explainStatements(db, target, null),
    documentChange(db, target, 'app_metadata.deleted', removes, null),
    db.prepare(`DELETE FROM app_metadata AS c WHERE ${condition}`).bind(...binds),
    ...refreshMembersStatements(db, documentKey(target)),
  ]);
  requireActive(status);
  const current = firstOf<ExplainRow>(explained) as ExplainRow;
  if (current.entity_exists !== 1) return { kind: 'not_found' };
  return writeAllowed(pre, current.version) ? { kind: 'deleted' } : { kind: 'precondition_failed' };
}
