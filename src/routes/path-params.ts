/** Path parameters of entity routes, and the 404 that missing and foreign entities share. */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { isId } from '../ids';

/** Missing and foreign entities answer alike (spec §4). */
export function notFound(noun: string): ApiError {
  return new ApiError('not_found', `No such ${noun}.`);
}

/** The path id, or a 404 exactly like a missing entity (no query for a malformed id). */
export function entityId(c: Context<AppEnv>, noun: string): string {
  const id = c.req.param('id') ?? '';
  if (!isId(id)) throw notFound(noun);
  return id;
}
