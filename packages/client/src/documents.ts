/**
 * An application's private document on one entity or on the profile (spec §4): reads with
 * their ETag, conditional writes (RFC 9110 §13.1), RFC 7396 merge patches, and `update`, the
 * read-modify-write that never loses a concurrent change.
 */
import { AppmetaError, errorFromResponse } from './errors.js';
import type { Transport } from './http.js';
import type { AppMetadataDocument, VersionedDocument } from './types.js';

export interface WriteOptions {
  /** Write only if the document is still this version (412 `precondition_failed` if not). */
  ifMatch?: string | undefined;
  /** `true`: create only; 412 when a document exists. */
  ifNoneMatch?: boolean | undefined;
}

export interface UpdateOptions {
  /** Attempts before giving up with a 412 AppmetaError (default 10, over a few seconds). */
  maxAttempts?: number | undefined;
}

/**
 * Receives the current document (null when there is none) and returns the new one, or
 * `undefined` to leave it as it is. It may run more than once: keep it free of side effects.
 */
export type Updater<D extends AppMetadataDocument> = (
  current: D | null,
) => D | undefined | Promise<D | undefined>;

export const DEFAULT_UPDATE_ATTEMPTS = 10;

/** Per client (its Transport), the tail of the updates queued on each document path. */
const updateQueues = new WeakMap<Transport, Map<string, Promise<unknown>>>();
const BASE_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1000;

/** The document at one `…/app-metadata` path. */
export class DocumentAt {
  constructor(
    private readonly transport: Transport,
    private readonly path: string,
  ) {}

  async read<D extends AppMetadataDocument>(): Promise<VersionedDocument<D> | null> {
    const response = await this.transport.send('GET', this.path);
    // 404 is both "no document" and "no such entity" (spec §4 keeps them indistinguishable).
    if (response.status === 404) return null;
    return versioned<D>(response);
  }

  async set<D extends AppMetadataDocument>(
    document: D,
    options: WriteOptions = {},
  ): Promise<VersionedDocument<D>> {
    const response = await this.transport.send('PUT', this.path, {
      json: document,
      headers: conditions(options),
    });
    return versioned<D>(response);
  }

  async patch<D extends AppMetadataDocument>(
    patch: AppMetadataDocument,
    options: WriteOptions = {},
  ): Promise<VersionedDocument<D>> {
    const response = await this.transport.send('PATCH', this.path, {
      body: JSON.stringify(patch),
      contentType: 'application/merge-patch+json',
      headers: conditions(options),
    });
    return versioned<D>(response);
  }

  async delete(options: WriteOptions = {}): Promise<void> {
    await this.transport.json('DELETE', this.path, { headers: conditions(options) });
  }

  /**
   * Updates of one document by one client run one after the other (they would only conflict);
   * writers elsewhere are handled by `If-Match` and retries.
   */
  update<D extends AppMetadataDocument>(
    fn: Updater<D>,
    options: UpdateOptions = {},
  ): Promise<D | null> {
    const queues = updateQueues.get(this.transport) ?? new Map<string, Promise<unknown>>();
    updateQueues.set(this.transport, queues);
    const previous = queues.get(this.path) ?? Promise.resolve();
    const run = previous.then(
      () => this.updateNow(fn, options),
      () => this.updateNow(fn, options),
    );
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(this.path, settled);
    void settled.then(() => {
      if (queues.get(this.path) === settled) queues.delete(this.path);
    });
    return run;
  }

  private async updateNow<D extends AppMetadataDocument>(
    fn: Updater<D>,
    options: UpdateOptions,
  ): Promise<D | null> {
    const attempts = options.maxAttempts ?? DEFAULT_UPDATE_ATTEMPTS;
    let lastConflict: AppmetaError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const current = await this.read<D>();
      const next = await fn(current === null ? null : current.document);
      if (next === undefined) return current === null ? null : current.document;
      try {
        const written = await this.set(next, {
          ifMatch: current?.etag,
          ifNoneMatch: current === null,
        });
        return written.document;
      } catch (error) {
        if (!(error instanceof AppmetaError) || error.status !== 412) throw error;
        lastConflict = error;
        await backoff(attempt);
      }
    }
    throw new AppmetaError({
      status: 412,
      errorCode: 'precondition_failed',
      message: `The document kept changing: gave up after ${attempts} attempts.`,
      requestId: lastConflict?.requestId,
      cause: lastConflict,
    });
  }
}

function conditions(options: WriteOptions): Record<string, string | undefined> {
  return {
    'If-Match': options.ifMatch,
    'If-None-Match': options.ifNoneMatch === true ? '*' : undefined,
  };
}

async function versioned<D extends AppMetadataDocument>(
  response: Response,
): Promise<VersionedDocument<D>> {
  if (!response.ok) throw await errorFromResponse(response);
  return { document: (await response.json()) as D, etag: response.headers.get('ETag') ?? '' };
}

/**
 * Full-jitter exponential backoff (25 ms doubling, at most 1 s per wait). A writer that lost a
 * race steps aside while the one that won keeps writing, instead of racing it again in step
 * and losing every time: it gives up only when the document kept changing for seconds.
 */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
