/**
 * Hot and cold single-entity reads (spec §10). A hot read is ONE KV get of the view — the
 * entity as this principal sees it, response body ready — and no D1 query. A miss is one D1
 * batch that checks the principal, reads the entity with the caller's document and records the
 * view in the index (src/storage/cached-views.ts); the view is then written to KV in the
 * background. Views are deleted, never patched, when anything they show changes.
 */
import type { Principal } from '../auth/principal';
import { VIEW_CACHE_TTL_SECONDS } from '../config';
import type { EntityJson } from '../entities/kinds';
import type { Checked } from './entities';
import { type Cache, type EntityType, viewKey } from './kv-cache';
import { principalScope } from './principal-status';

export interface EntityView {
  /** The response body of the entity GET: the entity with `app_metadata` spliced in. */
  body: string;
  /** The caller application's document (JSON text), null when none or not an app token. */
  document: string | null;
  version: string | null;
}

export type ReadOutcome =
  { kind: 'inactive' } | { kind: 'not_found' } | { kind: 'found'; view: EntityView };

/** The KV value: `h` names the owner exactly as the key does and is compared on every read. */
interface CachedView {
  h: string;
  b: string;
  d: string | null;
  v: string | null;
}

/**
 * The entity as JSON text with the caller's document spliced in as `app_metadata` (omitted
 * when there is none). The document is stored JSON text, so it is inserted as is.
 */
export function entityBody(entity: EntityJson, document: string | null): string {
  const json = JSON.stringify(entity);
  return document === null ? json : `${json.slice(0, -1)},"app_metadata":${document}}`;
}

/**
 * Reads an entity as `principal` sees it: from KV when its view is there and names this user,
 * scope, type and id; else through `cold` (one D1 round trip that records the view).
 */
export async function readEntityView(
  cache: Cache,
  principal: Principal,
  type: EntityType,
  id: string,
  cold: () => Promise<
    Checked<{ entity: EntityJson; document: string | null; version: string | null } | null>
  >,
): Promise<ReadOutcome> {
  const scope = principalScope(principal);
  const key = viewKey(principal.userId, scope, type, id);
  const expected = `${principal.userId}/${scope}/${type}/${id}`;
  const cached = (await cache.get(key)) as CachedView | null;
  if (cached !== null && cached.h === expected && typeof cached.b === 'string') {
    cache.outcome = 'hit';
    return { kind: 'found', view: { body: cached.b, document: cached.d, version: cached.v } };
  }
  cache.outcome = 'miss';
  const result = await cold();
  if (!result.active) return { kind: 'inactive' };
  if (result.value === null) return { kind: 'not_found' };
  const { entity, document, version } = result.value;
  const view: CachedView = {
    h: expected,
    b: entityBody(entity, document),
    d: document,
    v: version,
  };
  cache.putLater([[key, view, VIEW_CACHE_TTL_SECONDS]]);
  return { kind: 'found', view: { body: view.b, document, version } };
}

/** After the caller's own metadata write: its view of the entity is stale; drop it (awaited). */
export function dropOwnView(
  cache: Cache,
  principal: Principal,
  type: EntityType,
  id: string,
): Promise<void> {
  return cache.deleteNow([viewKey(principal.userId, principalScope(principal), type, id)]);
}
