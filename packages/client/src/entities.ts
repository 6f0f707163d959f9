/** Activities, traces and tests (spec §8, §14) and each one's app metadata (spec §4). */
import { DocumentAt, type Updater, type UpdateOptions, type WriteOptions } from './documents.js';
import type { Transport } from './http.js';
import { paginate } from './pagination.js';
import type {
  AppMetadataDocument,
  BatchGetItem,
  BatchPutItem,
  BatchPutResult,
  EntityKind,
  EntityTypes,
  ListFilters,
  VersionedDocument,
} from './types.js';

export interface CreateOptions {
  /** Makes a retried create safe: the server replays the first answer for 24 h (spec §14). */
  idempotencyKey?: string | undefined;
}

/** The app's documents on entities of one kind, addressed by entity id. */
export class EntityAppMetadata {
  constructor(
    private readonly transport: Transport,
    private readonly kind: EntityKind,
  ) {}

  private at(id: string): DocumentAt {
    return new DocumentAt(
      this.transport,
      `/api/v1/${this.kind}/${encodeURIComponent(id)}/app-metadata`,
    );
  }

  /** The document, or null when there is none (or no such entity). */
  async get<D extends AppMetadataDocument>(id: string): Promise<D | null> {
    return (await this.at(id).read<D>())?.document ?? null;
  }

  /** The document with its ETag, or null. */
  getWithETag<D extends AppMetadataDocument>(id: string): Promise<VersionedDocument<D> | null> {
    return this.at(id).read<D>();
  }

  /** Replaces the document; resolves to the stored document and its new ETag. */
  set<D extends AppMetadataDocument>(
    id: string,
    document: D,
    options?: WriteOptions,
  ): Promise<VersionedDocument<D>> {
    return this.at(id).set(document, options);
  }

  /** RFC 7396 merge patch (`null` removes a member); creates the document when absent. */
  patch<D extends AppMetadataDocument>(
    id: string,
    patch: AppMetadataDocument,
    options?: WriteOptions,
  ): Promise<VersionedDocument<D>> {
    return this.at(id).patch(patch, options);
  }

  delete(id: string, options?: WriteOptions): Promise<void> {
    return this.at(id).delete(options);
  }

  /** Read, apply `fn`, write with `If-Match`; retried on 412 (bounded). */
  update<D extends AppMetadataDocument>(
    id: string,
    fn: Updater<D>,
    options?: UpdateOptions,
  ): Promise<D | null> {
    return this.at(id).update(fn, options);
  }

  /** Up to 100 documents in one request, in the order given. */
  async batchGet(ids: readonly string[]): Promise<BatchGetItem[]> {
    const { body } = await this.transport.json<{ data: BatchGetItem[] }>(
      'POST',
      `/api/v1/${this.kind}/app-metadata/batch-get`,
      { json: { ids } },
    );
    return body.data;
  }

  /** Up to 25 writes, each with its own status; the accepted ones commit together. */
  async batchPut(
    items: readonly BatchPutItem[],
    options: CreateOptions = {},
  ): Promise<BatchPutResult[]> {
    const { body } = await this.transport.json<{ data: BatchPutResult[] }>(
      'POST',
      `/api/v1/${this.kind}/app-metadata/batch-put`,
      { json: { items }, headers: { 'Idempotency-Key': options.idempotencyKey } },
    );
    return body.data;
  }
}

export class EntityResource<K extends EntityKind> {
  readonly appMetadata: EntityAppMetadata;

  constructor(
    private readonly transport: Transport,
    private readonly kind: K,
  ) {
    this.appMetadata = new EntityAppMetadata(transport, kind);
  }

  /** Every matching entity, one by one, across pages of `limit` (the page size). */
  list(filters: ListFilters<K> = {} as ListFilters<K>): AsyncGenerator<EntityTypes[K]['entity']> {
    return paginate(this.transport, `/api/v1/${this.kind}?${listQuery(filters)}`);
  }

  /** The entity (with this app's `app_metadata`), or null when there is none. */
  async get(id: string): Promise<EntityTypes[K]['entity'] | null> {
    const found = await this.transport.jsonOrNull<EntityTypes[K]['entity']>('GET', this.path(id));
    return found === null ? null : found.body;
  }

  async create(
    body: EntityTypes[K]['input'],
    options: CreateOptions = {},
  ): Promise<EntityTypes[K]['entity']> {
    const result = await this.transport.json<EntityTypes[K]['entity']>(
      'POST',
      `/api/v1/${this.kind}`,
      { json: body, headers: { 'Idempotency-Key': options.idempotencyKey } },
    );
    return result.body;
  }

  async replace(id: string, body: EntityTypes[K]['input']): Promise<EntityTypes[K]['entity']> {
    return (
      await this.transport.json<EntityTypes[K]['entity']>('PUT', this.path(id), { json: body })
    ).body;
  }

  /** Deletes the entity and every app's metadata on it; 404 → AppmetaError. */
  async delete(id: string): Promise<void> {
    await this.transport.json('DELETE', this.path(id));
  }

  private path(id: string): string {
    return `/api/v1/${this.kind}/${encodeURIComponent(id)}`;
  }
}

/** The list query string: arrays comma-joined, metadata filters as repeated parameters. */
export function listQuery(filters: ListFilters<EntityKind>): URLSearchParams {
  const { appMetadata, ...plain } = filters;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(plain)) {
    if (value === undefined || value === null) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  for (const key of asList(appMetadata?.has)) params.append('app_metadata.has', key);
  for (const key of asList(appMetadata?.missing)) params.append('app_metadata.missing', key);
  for (const [key, value] of Object.entries(appMetadata?.equals ?? {})) {
    // spec §14: the value is given as its JSON text.
    params.append(`app_metadata.${key}`, JSON.stringify(value));
  }
  return params;
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
