/**
 * The request-scoped D1 handle. Every round trip goes through here so that it is counted
 * (Server-Timing `d1;desc="N"`, spec §10) and so that a failing D1 surfaces as a 503
 * StorageUnavailableError rather than a stale decision or a leaked message.
 *
 * Read replicas (spec §17, docs/consistency.md): a request's queries run in one D1 session
 * (Sessions API). Without a client bookmark the session may start on any replica. With one
 * (`Appmeta-Bookmark`), the session is anchored at it when this isolate has seen a bookmark at
 * least as new (so D1 knows it), else on the primary, which is at least as new as any bookmark
 * D1 ever issued: read-your-writes holds, and an unknown or future bookmark is never an error.
 */
import { StorageUnavailableError } from '../errors';

type D1Handle = Pick<D1Database, 'prepare' | 'batch'>;

/** spec §17: opaque, visible ASCII, at most 256 characters. Anything else is ignored. */
const BOOKMARK_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** The shape of the bookmarks D1 issues; only such a bookmark may anchor a session. */
const D1_BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The newest bookmark this isolate has received from D1; bookmarks sort oldest to newest. */
let newestSeen = '';

/** The later of two bookmarks (D1 bookmarks are lexicographically ordered). */
export function laterBookmark(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

/** A client's `Appmeta-Bookmark` if it is well formed, else null (ignored, never an error). */
export function parseBookmark(header: string | undefined): string | null {
  return header !== undefined && BOOKMARK_PATTERN.test(header) ? header : null;
}

export class Database {
  /** D1 round trips made so far: each statement or batch() is one. */
  roundTrips = 0;
  /** The newest state this request's response reflects (D1's bookmark, or a cached view's). */
  private observed: string | null;
  /** True once a batch holding a change record (spec §13) has committed. */
  changesCommitted = false;
  private changePending = false;

  constructor(
    private readonly d1: D1Handle,
    private readonly session: D1DatabaseSession | null = null,
    /** The bookmark the client sent back: reads must be at least as new as it. */
    readonly requested: string | null = null,
  ) {
    this.observed = requested;
  }

  /** A request's handle: one D1 session anchored as the module comment says. */
  static forRequest(d1: D1Database, requested: string | null): Database {
    let anchor = 'first-unconstrained';
    if (requested !== null) {
      anchor = D1_BOOKMARK.test(requested) && requested <= newestSeen ? requested : 'first-primary';
    }
    const session = d1.withSession(anchor);
    return new Database(session, session, requested);
  }

  /** Records that the response also reflects state as new as `bookmark` (a cached view's). */
  observe(bookmark: string | null): void {
    this.observed = laterBookmark(this.observed, bookmark);
  }

  /** The bookmark that describes what this request read or wrote, null when nothing yet. */
  bookmark(): string | null {
    return laterBookmark(this.observed, this.session?.getBookmark() ?? null);
  }

  /**
   * The bookmark to hand back to the client: this request's, or when it touched no data, the
   * newest this isolate has seen (a real D1 state, so sending it back is always satisfiable).
   */
  responseBookmark(): string | null {
    return this.bookmark() ?? (newestSeen === '' ? null : newestSeen);
  }

  prepare(sql: string): D1PreparedStatement {
    return this.d1.prepare(sql);
  }

  async first<T>(statement: D1PreparedStatement): Promise<T | null> {
    return this.call(() => statement.first<T>());
  }

  async all<T>(statement: D1PreparedStatement): Promise<T[]> {
    return (await this.call(() => statement.all<T>())).results;
  }

  async run(statement: D1PreparedStatement): Promise<D1Result> {
    return this.call(() => statement.run());
  }

  /** One round trip, one transaction (D1 has no BEGIN): all statements commit or none. */
  async batch(statements: D1PreparedStatement[]): Promise<D1Result[]> {
    const recordsChange = this.changePending;
    this.changePending = false;
    const results = await this.call(() => this.d1.batch(statements));
    if (recordsChange) this.changesCommitted = true;
    return results;
  }

  /**
   * Called by storage/changes.ts for each change statement it prepares: the next batch records
   * events, so once it commits the webhook outbox has work (changesCommitted).
   */
  noteChangeStatement(): void {
    this.changePending = true;
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    this.roundTrips += 1;
    try {
      return await operation();
    } catch (error) {
      throw new StorageUnavailableError(error);
    } finally {
      const latest = this.session?.getBookmark() ?? null;
      if (latest !== null && latest > newestSeen) newestSeen = latest;
    }
  }
}

/** Results of a batch, typed per statement. */
export function rowsOf<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[];
}

export function firstOf<T>(result: D1Result | undefined): T | null {
  return ((result?.results ?? [])[0] as T | undefined) ?? null;
}
