/**
 * The read-through of cached views (spec §10): an entity or the profile as one principal sees
 * it. A hit is one KV get and no D1; a miss is one D1 batch that checks the principal, reads
 * the row with the caller's document and records the view, which is then written to KV in the
 * background. One loader and one row-to-body mapping per kind.
 */
import type { Principal } from '../auth/principal';
import {
  ENTITY_KINDS,
  type EntityJson,
  type EntityKindName,
  type EntityRow,
} from '../entities/kinds';
import { type UserRow, toProfile } from '../entities/profile';
import { getWithDocument, kindHolder } from '../storage/entities';
import type { EntityType } from '../storage/kv-cache';
import { PROFILE_HOLDER } from '../storage/profiles';
import { type EntityView, getView, putView } from '../storage/views';
import type { ServiceContext } from './context';

interface ViewSource {
  entity: EntityJson;
  document: string | null;
  version: string | null;
  /** Whether the cold read recorded the view in the index (only then may KV hold it). */
  cacheable: boolean;
}

type Loader = (ctx: ServiceContext, principal: Principal, id: string) => Promise<ViewSource | null>;

function kindLoader(name: EntityKindName): Loader {
  const kind = ENTITY_KINDS[name];
  const holder = kindHolder(kind);
  return async (ctx, principal, id) => {
    const view = { id, now: ctx.now };
    const { found, cacheable } = await getWithDocument<EntityRow>(ctx.db, principal, holder, view);
    return found && { ...found, cacheable, entity: kind.toJson(found.row) };
  };
}

const LOADERS: Record<EntityType, Loader> = {
  activities: kindLoader('activities'),
  traces: kindLoader('traces'),
  tests: kindLoader('tests'),
  profile: async (ctx, principal) => {
    const view = { id: principal.userId, now: ctx.now };
    const { found, cacheable } = await getWithDocument<UserRow>(
      ctx.db,
      principal,
      PROFILE_HOLDER,
      view,
    );
    return found && { ...found, cacheable, entity: toProfile(found.row) };
  },
};

/**
 * The entity as JSON text with the caller's document spliced in as `app_metadata` (omitted
 * when there is none). The document is stored JSON text, so it is inserted as is.
 */
export function entityBody(entity: EntityJson, document: string | null): string {
  const json = JSON.stringify(entity);
  return document === null ? json : `${json.slice(0, -1)},"app_metadata":${document}}`;
}

/** The principal's view of the entity (the profile: id = user id); null when it does not exist. */
export async function readView(
  ctx: ServiceContext,
  principal: Principal,
  type: EntityType,
  id: string,
): Promise<EntityView | null> {
  const hit = await getView(ctx.cache, principal, type, id);
  if (hit !== null) return hit;
  const source = await LOADERS[type](ctx, principal, id);
  if (source === null) return null;
  const view = {
    body: entityBody(source.entity, source.document),
    document: source.document,
    version: source.version,
  };
  if (source.cacheable) putView(ctx.cache, principal, type, id, view);
  return view;
}
