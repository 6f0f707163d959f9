/**
 * Bulk reads and writes of the calling application's documents (spec §14): one D1 round trip
 * each. A batch write runs, per item, exactly the statements of a single write
 * (storage/app-metadata.documentWrite: explain, conditional upsert, change record, members
 * index) behind one status check, so preconditions, change records and the index behave alike.
 */
import type { AppPrincipal } from '../auth/principal';
import type { EntityKindName } from '../entities/kinds';
import type { Preconditions } from '../metadata/preconditions';
import { type DocumentInput, type WriteOutcome, documentWrite } from './app-metadata';
import type { Database } from './db';
import { DOCUMENT_COLUMNS, documentJoinSql } from './entities';
import { readAsPrincipal, requireActive, statusStatement } from './principal-status';

/** An entity's id with the caller's document, or none (document and version null). */
export interface StoredDocument {
  id: string;
  document: string | null;
  version: string | null;
}

/** The caller's documents on the user's entities among `ids`; foreign and missing ids are absent. */
export async function getDocuments(
  db: Database,
  principal: AppPrincipal,
  type: EntityKindName,
  ids: string[],
  now: number,
): Promise<StoredDocument[]> {
  const read = db
    .prepare(
      `SELECT e.id AS id, ${DOCUMENT_COLUMNS}
         FROM ${type} e ${documentJoinSql('e.user_id', 'e.id')}
        WHERE e.user_id = ?3 AND e.id IN (SELECT value FROM json_each(?4))`,
    )
    .bind(type, principal.clientId, principal.userId, JSON.stringify(ids));
  const rows = await readAsPrincipal<{ id: string; _document: unknown; _version: unknown }>(
    db,
    principal,
    now,
    read,
  );
  return rows.map((row) => ({
    id: row.id,
    document: typeof row._document === 'string' ? row._document : null,
    version: typeof row._version === 'string' ? row._version : null,
  }));
}

/** One item of a batch write. */
export interface BatchWriteItem {
  entityId: string;
  input: DocumentInput;
  pre: Preconditions;
}

/** Writes every item in one D1 batch; the outcomes in item order. */
export async function writeDocuments(
  db: Database,
  principal: AppPrincipal,
  type: EntityKindName,
  items: BatchWriteItem[],
  now: number,
): Promise<WriteOutcome[]> {
  const writes = items.map((item) =>
    documentWrite(db, { principal, type, entityId: item.entityId, now }, item.input, item.pre),
  );
  const [status, ...results] = await db.batch([
    statusStatement(db, principal, now),
    ...writes.flatMap((write) => write.statements),
  ]);
  requireActive(status);
  let offset = 0;
  return writes.map((write) => {
    const own = results.slice(offset, offset + write.statements.length);
    offset += write.statements.length;
    return write.outcome(own);
  });
}
