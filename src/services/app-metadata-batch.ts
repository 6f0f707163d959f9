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
import { type IdempotentRequest, type KeptResponse, runOnce } from './idempotency';

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

/** A batch-put item's answer on the wire (spec §14). */
export interface ItemAnswer {
  id: string;
  status: number;
  etag?: string;
  error?: { errorCode: string };
}

/** An item as the route parsed it: refused on its own already, or a write to run. */
export type PreparedItem =
  | { id: string; refusal: ItemAnswer }
  | { id: string; refusal: null; write: batches.BatchWriteItem };

const OUTCOME_ANSWERS: Record<string, { status: number; errorCode: string }> = {
  not_found: { status: 404, errorCode: 'not_found' },
  precondition_failed: { status: 412, errorCode: 'precondition_failed' },
  too_large: { status: 413, errorCode: 'payload_too_large' },
};

function answerOf(id: string, outcome: WriteOutcome): ItemAnswer {
  if (outcome.kind === 'written') return { id, status: 200, etag: etagOf(outcome.version) };
  const answer = OUTCOME_ANSWERS[outcome.kind] ?? OUTCOME_ANSWERS.precondition_failed;
  const { status, errorCode } = answer as { status: number; errorCode: string };
  return { id, status, error: { errorCode } };
}

/**
 * Writes the accepted items in one D1 batch (with an optional Idempotency-Key: once), drops
 * the writer's stale view of each written entity, and answers `{"data":[…]}` in item order.
 */
export function batchPutDocuments(
  ctx: ServiceContext,
  principal: AppPrincipal,
  type: EntityKindName,
  items: PreparedItem[],
  request: IdempotentRequest | null,
): Promise<KeptResponse> {
  return runOnce(ctx, principal, request, async () => {
    const writes = items.flatMap((item) => (item.refusal === null ? [item.write] : []));
    const outcomes =
      writes.length === 0
        ? []
        : await batches.writeDocuments(ctx.db, principal, type, writes, ctx.now);
    await Promise.all(
      outcomes.map((outcome, index) =>
        outcome.kind === 'written'
          ? dropOwnView(
              ctx.cache,
              principal,
              type,
              (writes[index] as batches.BatchWriteItem).entityId,
            )
          : Promise.resolve(),
      ),
    );
    let next = 0;
    const data = items.map((item) =>
      item.refusal !== null ? item.refusal : answerOf(item.id, outcomes[next++] as WriteOutcome),
    );
    return { status: 200, body: JSON.stringify({ data }) };
  });
}
