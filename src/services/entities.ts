/**
 * Entity use cases (spec §8, §11): list, create, replace, delete. Every write records its
 * change in its own D1 batch (storage) and drops the cached views it made stale here, in the
 * same function, before the response is sent (the writer reads its own write).
 */
import type { Principal } from '../auth/principal';
import { ENTITY_MAX_PER_USER_PER_KIND } from '../config';
import { encodeCursor } from '../entities/list-cursor';
import { ApiError } from '../errors';
import type { EntityJson, EntityKind } from '../entities/kinds';
import type { ListFilters } from '../entities/list-query';
import { dropViews } from '../storage/cached-views';
import * as entities from '../storage/entities';
import { listEntitiesWithDocuments } from '../storage/entity-lists';
import type { ServiceContext } from './context';
import { entityBody } from './entity-views';
import { type IdempotentRequest, type KeptResponse, runOnce } from './idempotency';

/** One page: the JSON array text and the cursor of the next page (null on the last). */
export interface ListResult {
  body: string;
  next: string | null;
}

/** The list page, each item with the caller's document spliced in (spec §4, §14). */
export async function listEntities(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  filters: ListFilters,
): Promise<ListResult> {
  if (filters.metadata.length > 0 && principal.kind !== 'app') {
    // spec §14: filters on the caller's own metadata need an application's token.
    throw new ApiError('app_token_required', 'Metadata filters need an application access token.', {
      hint: 'Personal API keys have no application metadata to filter on.',
    });
  }
  const page = await listEntitiesWithDocuments(ctx.db, principal, kind, filters, ctx.now);
  const body = `[${page.rows.map((item) => entityBody(kind.toJson(item.row), item.document)).join(',')}]`;
  const last = page.rows.at(-1);
  if (!page.more || last === undefined) return { body, next: null };
  const sortColumn = filters.sort === 'updated_at' ? 'updated_at' : kind.timeColumn;
  const key = Number(last.row[sortColumn]);
  return { body, next: encodeCursor({ sort: filters.sort, key, id: String(last.row.id) }) };
}

/** The created entity; 422 quota_exceeded when the user holds the most the kind allows. */
export async function createEntity(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  input: unknown,
): Promise<EntityJson> {
  const values = kind.toValues(input as never);
  const limits = { now: ctx.now, maxPerUser: ENTITY_MAX_PER_USER_PER_KIND };
  const row = await entities.insertEntity(ctx.db, principal, kind, values, limits);
  if (row === null) {
    throw new ApiError(
      'quota_exceeded',
      `This account holds the most ${kind.name} allowed (${ENTITY_MAX_PER_USER_PER_KIND}).`,
      { hint: `Delete ${kind.name} that are no longer needed.` },
    );
  }
  return kind.toJson(row);
}

/** POST with an optional Idempotency-Key: the created entity (201) once, replayed after. */
export function createEntityOnce(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  input: unknown,
  request: IdempotentRequest | null,
): Promise<KeptResponse> {
  return runOnce(ctx, principal, request, async () => ({
    status: 201,
    body: JSON.stringify(await createEntity(ctx, principal, kind, input)),
  }));
}

/** The replaced entity, or null when it does not exist for this user. */
export async function replaceEntity(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  id: string,
  input: unknown,
): Promise<EntityJson | null> {
  const values = kind.toValues(input as never);
  const written = await entities.replaceEntity(ctx.db, principal, kind, id, values, ctx.now);
  await dropViews(ctx.cache, written.staleViews);
  return written.value === null ? null : kind.toJson(written.value);
}

/** Deletes the entity and every application's document on it; false when it did not exist. */
export async function deleteEntity(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  id: string,
): Promise<boolean> {
  const written = await entities.deleteEntity(ctx.db, principal, kind, id, ctx.now);
  await dropViews(ctx.cache, written.staleViews);
  return written.value;
}
