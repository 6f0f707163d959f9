/** The per-user key/value store of the v2 API (spec §5): the application is the token's. */
import type { Transport } from './http.js';
import type { MetadataEntry } from './types.js';

export interface SetMetadataOptions {
  /** When the entry expires (a future date); omitted: never (and any earlier expiry cleared). */
  expiresAt?: Date | string | null | undefined;
}

export class MetadataResource {
  constructor(private readonly transport: Transport) {}

  /** Every live entry. */
  async list(): Promise<MetadataEntry[]> {
    const { body } = await this.transport.json<{ data: MetadataEntry[] }>(
      'GET',
      '/api/v2/metadata',
    );
    return body.data;
  }

  /** The entry, or null when the key does not exist (or has expired). */
  async get(key: string): Promise<MetadataEntry | null> {
    const found = await this.transport.jsonOrNull<MetadataEntry>('GET', this.path(key));
    return found === null ? null : found.body;
  }

  async set(key: string, value: string, options: SetMetadataOptions = {}): Promise<MetadataEntry> {
    const expiresAt = options.expiresAt;
    const body: { value: string; expires_at?: string | null } = { value };
    if (expiresAt !== undefined) {
      body.expires_at = expiresAt instanceof Date ? expiresAt.toISOString() : expiresAt;
    }
    return (await this.transport.json<MetadataEntry>('PUT', this.path(key), { json: body })).body;
  }

  /** Deletes the key; a key that does not exist → AppmetaError 404 `not_found`. */
  async delete(key: string): Promise<void> {
    await this.transport.json('DELETE', this.path(key));
  }

  private path(key: string): string {
    return `/api/v2/metadata/${encodeURIComponent(key)}`;
  }
}
