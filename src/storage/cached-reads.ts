/**
 * Hot and cold entity reads (spec §10). A hot read is one KV bulk get of the entity, the
 * caller's document and the principal's status entries, and no D1 query. Anything missing,
 * foreign or inactive in KV falls back to one D1 batch, whose answer refills KV in the
 * background. Writers call the `cache*` helpers below, awaited, to read their own writes.
 */
import type { Principal } from '../auth/principal';
import { ENTITY_CACHE_TTL_SECONDS } from '../config';
import type { EntityJson } from '../entities/kinds';
import type { Checked } from './entities';
import { type Cache, type EntityType, cacheKeys } from './kv-cache';
import { isActiveInCache, statusCacheEntries, statusCacheKeys } from './principal-status';

export interface EntityView {
  entity: EntityJson;
  /** The caller application's document (JSON text), null when none or not an app token. */
  document: string | null;
  version: string | null;
}

export type ReadOutcome =
  { kind: 'inactive' } | { kind: 'not_found' } | { kind: 'found'; view: EntityView };

interface CachedEntity {
  o: string;
  t: EntityType;
  i: string;
  e: EntityJson;
}

interface CachedDocument {
  o: string;
  c: string;
  g: number;
  t: EntityType;
  i: string;
  d: string | null;
  v: string | null;
}

function documentKey(principal: Principal, type: EntityType, id: string): string | null {
  return principal.kind === 'app'
    ? cacheKeys.document(type, principal.userId, principal.clientId, principal.gen, id)
    : null;
}

/**
 * Reads an entity with the caller's document: from KV when every entry is present and names
 * this user, application and grant generation; else through `cold` (one D1 round trip).
 */
export async function readEntityView(
  cache: Cache,
  principal: Principal,
  type: EntityType,
  id: string,
  now: number,
  cold: () => Promise<Checked<EntityView | null>>,
): Promise<ReadOutcome> {
  const entityKey = cacheKeys.entity(type, principal.userId, id);
  const docKey = documentKey(principal, type, id);
  const keys = [entityKey, ...(docKey ? [docKey] : []), ...statusCacheKeys(principal)];
  const values = await cache.getMany(keys);
  const hit = hotView(values, principal, type, id, entityKey, docKey, now);
  if (hit) {
    cache.outcome = 'hit';
    return { kind: 'found', view: hit };
  }
  cache.outcome = 'miss';
  const result = await cold();
  if (!result.active) return { kind: 'inactive' };
  if (result.value === null) return { kind: 'not_found' };
  const view = result.value;
  cache.putLater([
    ...statusCacheEntries(principal, result.status as Parameters<typeof statusCacheEntries>[1]),
    entityEntry(principal.userId, type, id, view.entity),
    ...(principal.kind === 'app'
      ? [documentEntry(principal, type, id, view.document, view.version)]
      : []),
  ]);
  return { kind: 'found', view };
}

function hotView(
  values: Map<string, unknown>,
  principal: Principal,
  type: EntityType,
  id: string,
  entityKey: string,
  docKey: string | null,
  now: number,
): EntityView | null {
  const entity = values.get(entityKey) as CachedEntity | undefined;
  if (entity?.o !== principal.userId || entity.t !== type || entity.i !== id) return null;
  if (!isActiveInCache(principal, values, now)) return null;
  if (docKey === null || principal.kind !== 'app')
    return { entity: entity.e, document: null, version: null };
  const doc = values.get(docKey) as CachedDocument | undefined;
  const owned =
    doc?.o === principal.userId &&
    doc.c === principal.clientId &&
    doc.g === principal.gen &&
    doc.t === type &&
    doc.i === id;
  return owned ? { entity: entity.e, document: doc.d, version: doc.v } : null;
}

function entityEntry(
  userId: string,
  type: EntityType,
  id: string,
  entity: EntityJson,
): [string, unknown, number] {
  const value: CachedEntity = { o: userId, t: type, i: id, e: entity };
  return [cacheKeys.entity(type, userId, id), value, ENTITY_CACHE_TTL_SECONDS];
}

function documentEntry(
  principal: Principal & { kind: 'app' },
  type: EntityType,
  id: string,
  document: string | null,
  version: string | null,
): [string, unknown, number] {
  const value: CachedDocument = {
    o: principal.userId,
    c: principal.clientId,
    g: principal.gen,
    t: type,
    i: id,
    d: document,
    v: version,
  };
  return [
    cacheKeys.document(type, principal.userId, principal.clientId, principal.gen, id),
    value,
    ENTITY_CACHE_TTL_SECONDS,
  ];
}

/** After an entity write: the new entity, awaited (read-your-writes). */
export function cacheEntity(
  cache: Cache,
  userId: string,
  type: EntityType,
  id: string,
  entity: EntityJson,
): Promise<void> {
  return cache.putNow([entityEntry(userId, type, id, entity)]);
}

/** After an entity delete: drop it; documents keyed under it become unreachable. */
export function uncacheEntity(
  cache: Cache,
  userId: string,
  type: EntityType,
  id: string,
): Promise<void> {
  return cache.deleteNow([cacheKeys.entity(type, userId, id)]);
}

/** After a metadata write or delete (document null), awaited (read-your-writes). */
export function cacheDocument(
  cache: Cache,
  principal: Principal & { kind: 'app' },
  type: EntityType,
  id: string,
  document: string | null,
  version: string | null,
): Promise<void> {
  return cache.putNow([documentEntry(principal, type, id, document, version)]);
}
