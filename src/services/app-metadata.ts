/**
 * Application metadata on entities and the profile (spec §4, §11): reading the caller's
 * document through its cached view, and writes that record their change in their own batch
 * (storage) and drop the writer's stale view here before the response.
 */
import type { AppPrincipal } from '../auth/principal';
import type { Preconditions } from '../metadata/preconditions';
import * as documents from '../storage/app-metadata';
import type { EntityType } from '../storage/kv-cache';
import { dropOwnView } from '../storage/views';
import type { ServiceContext } from './context';
import { readView } from './entity-views';

export type { WriteOutcome } from '../storage/app-metadata';

export interface DocumentRef {
  type: EntityType;
  /** The entity id; the user id for the profile. */
  id: string;
}

/** The caller's document and version; null when the entity or the document is absent. */
export async function readDocument(
  ctx: ServiceContext,
  principal: AppPrincipal,
  ref: DocumentRef,
): Promise<{ document: string; version: string } | null> {
  const view = await readView(ctx, principal, ref.type, ref.id);
  if (view === null || view.document === null || view.version === null) return null;
  return { document: view.document, version: view.version };
}

function targetOf(ctx: ServiceContext, principal: AppPrincipal, ref: DocumentRef) {
  return { principal, type: ref.type, entityId: ref.id, now: ctx.now };
}

/** PUT (`replace`) or PATCH (`merge`, RFC 7396) of the caller's document. */
export async function writeDocument(
  ctx: ServiceContext,
  principal: AppPrincipal,
  ref: DocumentRef,
  input: { mode: 'replace' | 'merge'; json: string; maxBytes: number },
  pre: Preconditions,
): Promise<documents.WriteOutcome> {
  const target = targetOf(ctx, principal, ref);
  const outcome = await documents.writeDocument(ctx.db, target, input, pre);
  if (outcome.kind === 'written') await dropOwnView(ctx.cache, principal, ref.type, ref.id);
  return outcome;
}

/** DELETE of the caller's document (204 whether or not it existed, unless a precondition fails). */
export async function deleteDocument(
  ctx: ServiceContext,
  principal: AppPrincipal,
  ref: DocumentRef,
  pre: Preconditions,
): Promise<documents.WriteOutcome> {
  const outcome = await documents.deleteDocument(ctx.db, targetOf(ctx, principal, ref), pre);
  if (outcome.kind === 'deleted') await dropOwnView(ctx.cache, principal, ref.type, ref.id);
  return outcome;
}
