/**
 * Entity use cases (spec §8, §11): list, create, replace, delete. Every write records its
 * change in its own D1 batch (storage) and drops the cached views it made stale here, in the
 * same function, before the response is sent (the writer reads its own write).
 */
import type { Principal } from '../auth/principal';
import type { EntityJson, EntityKind } from '../entities/kinds';
import type { ListFilters } from '../entities/list-query';
import { dropViews } from '../storage/cached-views';
import * as entities from '../storage/entities';
import { listEntitiesWithDocuments } from '../storage/entity-lists';
import type { ServiceContext } from './context';
import { entityBody } from './entity-views';

/** The list as a JSON array text, each item with the caller's document spliced in. */
export async function listEntities(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  filters: ListFilters,
): Promise<string> {
  const rows = await listEntitiesWithDocuments(ctx.db, principal, kind, filters, ctx.now);
  return `[${rows.map((item) => entityBody(kind.toJson(item.row), item.document)).join(',')}]`;
}

export async function createEntity(
  ctx: ServiceContext,
  principal: Principal,
  kind: EntityKind,
  input: unknown,
): Promise<EntityJson> {
  const values = kind.toValues(input as never);
  return kind.toJson(await entities.insertEntity(ctx.db, principal, kind, values, ctx.now));
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
