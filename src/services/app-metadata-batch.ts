/**
 * Bulk metadata use cases (spec §14): batch-get reads the caller's documents on up to 100
 * entities in one round trip; batch-put writes up to 25 in one D1 batch and drops the writer's
 * stale view of each written entity, as a single write does.
 */
import type { AppPrincipal } from '../auth/principal';
import type { EntityKindName } from '../entities/kinds';
import { etagOf } from '../metadata/preconditions';
import * as batches from '../storage/app-metadata-batch';
import { dropOwnView } from '../storage/views';
import type { ServiceContext } from './context';

export type { BatchWriteItem } from '../storage/app-metadata-batch';
import type { WriteOutcome } from '../storage/app-metadata';

export type { WriteOutcome };

/** One answer of batch-get, as the wire shape's members (document as stored JSON text). */
export type BatchGetResult =
  | { id: string; found: true; document: string | null; etag: string | null }
  | { id: string; found: false };

export async function batchGetDocuments(
  ctx: ServiceContext,
  principal: AppPrincipal,
  type: EntityKindName,
  ids: string[],
): Promise<BatchGetResult[]> {
  const rows = await batches.getDocuments(ctx.db, principal, type, ids, ctx.now);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (row === undefined) return { id, found: false };
    const etag = row.version === null ? null : etagOf(row.version);
    return { id, found: true, document: row.document, etag };
  });
}

/** Writes the items in one batch; each item's outcome in order. */
export async function batchPutDocuments(
  ctx: ServiceContext,
  principal: AppPrincipal,
  type: EntityKindName,
  items: batches.BatchWriteItem[],
): Promise<WriteOutcome[]> {
  if (items.length === 0) return [];
  const outcomes = await batches.writeDocuments(ctx.db, principal, type, items, ctx.now);
  await Promise.all(
    outcomes.map((outcome, index) =>
      outcome.kind === 'written'
        ? dropOwnView(ctx.cache, principal, type, (items[index] as batches.BatchWriteItem).entityId)
        : Promise.resolve(),
    ),
  );
  return outcomes;
}
