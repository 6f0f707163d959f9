/**
 * Views in KV (spec §10): one entity as one principal sees it, its response body ready. A hot
 * read is ONE KV get of the view and no D1 query. A view is written only after the cold read
 * that built it recorded it in the index (storage/cached-views.ts), so every view that can be
 * served is findable, and views are deleted, never patched, when anything they show changes.
 */
import type { Principal } from '../auth/principal';
import { VIEW_CACHE_TTL_SECONDS } from '../config';
import { type Cache, type EntityType, viewKey } from './kv-cache';
import { principalScope } from './principal-status';

export interface EntityView {
  /** The response body of the entity GET: the entity with `app_metadata` spliced in. */
  body: string;
  /** The caller application's document (JSON text), null when none or not an app token. */
  document: string | null;
  version: string | null;
}

/** The KV value: `h` names the owner exactly as the key does and is compared on every read. */
interface CachedView {
  h: string;
  b: string;
  d: string | null;
  v: string | null;
}

function keyOf(principal: Principal, type: EntityType, id: string) {
  const scope = principalScope(principal);
  return {
    key: viewKey(principal.userId, scope, type, id),
    owner: `${principal.userId}/${scope}/${type}/${id}`,
  };
}

/** The principal's view of the entity when KV has it and it names this owner; else null. */
export async function getView(
  cache: Cache,
  principal: Principal,
  type: EntityType,
  id: string,
): Promise<EntityView | null> {
  const { key, owner } = keyOf(principal, type, id);
  const cached = (await cache.get(key)) as CachedView | null;
  if (cached !== null && cached.h === owner && typeof cached.b === 'string') {
    cache.outcome = 'hit';
    return { body: cached.b, document: cached.d, version: cached.v };
  }
  cache.outcome = 'miss';
  return null;
}

/** Writes a view built by a cold read, in the background (never awaited by the response). */
export function putView(
  cache: Cache,
  principal: Principal,
  type: EntityType,
  id: string,
  view: EntityView,
): void {
  const { key, owner } = keyOf(principal, type, id);
  const value: CachedView = { h: owner, b: view.body, d: view.document, v: view.version };
  cache.putLater([[key, value, VIEW_CACHE_TTL_SECONDS]]);
}

/** After the caller's own metadata write: its view of the entity is stale; drop it (awaited). */
export function dropOwnView(
  cache: Cache,
  principal: Principal,
  type: EntityType,
  id: string,
): Promise<void> {
  return cache.deleteNow([keyOf(principal, type, id).key]);
}
