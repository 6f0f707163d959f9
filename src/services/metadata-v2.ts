/**
 * The v2 key/value store (spec §5): not KV-cached, so each use case is its storage call; the
 * change records ride in the same D1 batch as the write (storage/metadata-entries.ts).
 */
import type { AppPrincipal } from '../auth/principal';
import type { EntryInput } from '../metadata/entries';
import * as entries from '../storage/metadata-entries';
import type { ServiceContext } from './context';

export type { EntryRow, PutOutcome, DeleteOutcome } from '../storage/metadata-entries';

export function listEntries(ctx: ServiceContext, principal: AppPrincipal) {
  return entries.listEntries(ctx.db, principal, ctx.now);
}

export function getEntry(ctx: ServiceContext, principal: AppPrincipal, key: string) {
  return entries.getEntry(ctx.db, principal, key, ctx.now);
}

export function putEntry(
  ctx: ServiceContext,
  principal: AppPrincipal,
  key: string,
  input: EntryInput,
) {
  return entries.putEntry(ctx.db, principal, key, input, ctx.now);
}

export function deleteEntry(ctx: ServiceContext, principal: AppPrincipal, key: string) {
  return entries.deleteEntry(ctx.db, principal, key, ctx.now);
}
