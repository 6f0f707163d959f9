/**
 * The pull feed (spec §13): the user's events for this application in commit order. `stream`
 * reads it to the head and ends; with `follow: true` it keeps polling for new events.
 */
import type { Transport } from './http.js';
import type { ChangeEvent, ChangeFeedPage } from './types.js';

export interface ChangesPageOptions {
  /** A cursor from an earlier page; omitted: the oldest retained event. */
  after?: string | null | undefined;
  /** Events per page, 1..500 (default 100). */
  limit?: number | undefined;
}

export interface ChangesStreamOptions extends ChangesPageOptions {
  /** Keep polling at the head instead of ending there. */
  follow?: boolean | undefined;
  /** Poll interval at the head when following, in milliseconds (default 5000). */
  pollIntervalMs?: number | undefined;
  /** Stops a following stream. */
  signal?: AbortSignal | undefined;
}

export class ChangesResource {
  constructor(private readonly transport: Transport) {}

  /** One page of the feed. */
  async list(options: ChangesPageOptions = {}): Promise<ChangeFeedPage> {
    const { body } = await this.transport.json<ChangeFeedPage>('GET', '/api/v1/changes', {
      query: { after: options.after ?? undefined, limit: options.limit },
    });
    return body;
  }

  /** Every event after `after`, one by one; see ChangeStream for resuming. */
  stream(options: ChangesStreamOptions = {}): ChangeStream {
    return new ChangeStream(this, options);
  }
}

/**
 * An async iterable over the feed. `cursor` is always a safe place to resume from: it moves to
 * a page's `next_cursor` when that page's last event is handed out, so saving it after
 * handling an event never skips one (at worst the rest of a page is seen again).
 */
export class ChangeStream implements AsyncIterable<ChangeEvent> {
  cursor: string | null;

  constructor(
    private readonly changes: ChangesResource,
    private readonly options: ChangesStreamOptions,
  ) {
    this.cursor = options.after ?? null;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChangeEvent> {
    const { signal } = this.options;
    while (signal?.aborted !== true) {
      const page = await this.changes.list({ after: this.cursor, limit: this.options.limit });
      for (const [index, event] of page.data.entries()) {
        if (index === page.data.length - 1 && page.next_cursor !== null) {
          this.cursor = page.next_cursor;
        }
        yield event;
      }
      if (page.data.length === 0 && page.next_cursor !== null) this.cursor = page.next_cursor;
      if (page.has_more) continue;
      if (this.options.follow !== true) return;
      await sleep(this.options.pollIntervalMs ?? 5000, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
