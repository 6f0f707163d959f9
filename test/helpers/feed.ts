/** Reads the change feed (spec §13) through the Worker, for feed and webhook tests. */
import { expect } from 'vitest';
import { call } from './worker';

export interface FeedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, string>;
}

export interface FeedBody {
  data: FeedEvent[];
  next_cursor: string | null;
  has_more: boolean;
}

/** One page of the feed; fails the test unless it is a 200. */
export async function feedPage(token: string, query = ''): Promise<FeedBody> {
  const response = await call(`/api/v1/changes${query}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as FeedBody;
}

/** Every event from the start, walking the cursors with pages of `limit`. */
export async function walkFeed(token: string, limit = 100): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const query: string = `?limit=${limit}${after === null ? '' : `&after=${after}`}`;
    const page = await feedPage(token, query);
    events.push(...page.data);
    if (!page.has_more) return events;
    after = page.next_cursor;
  }
}

/** An event as the feed shows it, for toStrictEqual (id and timestamp are random/clock). */
export function feedEvent(type: string, data: Record<string, unknown>) {
  return {
    id: expect.stringMatching(/^evt_[0-9a-f]{32}$/) as unknown as string,
    type,
    timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) as unknown as string,
    data,
  };
}
