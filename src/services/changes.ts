/**
 * The pull change feed (spec §13, §17): one page of the token's user's events for its
 * application, filtered by the token's scopes, with the cursor rules of §17.
 */
import type { AppPrincipal } from '../auth/principal';
import { ApiError } from '../errors';
import { type EventJson, encodeCursor, toEventJson } from '../events/feed';
import { readFeedPage } from '../storage/change-feed';
import type { ServiceContext } from './context';

export interface FeedRequest {
  /** The seq the `after` cursor names, or null to start at the oldest retained event. */
  afterSeq: number | null;
  /** The cursor as sent, echoed on an empty page. */
  after: string | null;
  limit: number;
}

export interface FeedResponse {
  data: EventJson[];
  next_cursor: string | null;
  has_more: boolean;
}

export async function readFeed(
  ctx: ServiceContext,
  principal: AppPrincipal,
  request: FeedRequest,
): Promise<FeedResponse> {
  const page = await readFeedPage(ctx.db, principal, {
    afterSeq: request.afterSeq ?? 0,
    take: request.limit + 1,
    scopes: {
      data: principal.scopes.has('data:read'),
      metadata: principal.scopes.has('metadata.read'),
    },
    now: ctx.now,
  });
  // The purge deletes in seq order, so a cursor below the watermark may have lost events.
  if (request.afterSeq !== null && request.afterSeq < page.purgedThrough) {
    throw new ApiError('cursor_expired', 'This cursor is older than the feed keeps events.', {
      hint: 'Start again without `after` and resynchronise from the lists.',
    });
  }
  const rows = page.rows.slice(0, request.limit);
  const last = rows.at(-1);
  return {
    data: rows.map(toEventJson),
    next_cursor: last === undefined ? request.after : encodeCursor(last.seq),
    has_more: page.rows.length > request.limit,
  };
}
