/** The signed-in user's profile and the app's document on it (spec §4, 4096 bytes). */
import { DocumentAt, type Updater, type UpdateOptions, type WriteOptions } from './documents.js';
import type { Transport } from './http.js';
import type { AppMetadataDocument, Profile, VersionedDocument } from './types.js';

export class ProfileAppMetadata {
  private readonly at: DocumentAt;

  constructor(transport: Transport) {
    this.at = new DocumentAt(transport, '/api/v1/profile/app-metadata');
  }

  async get<D extends AppMetadataDocument>(): Promise<D | null> {
    return (await this.at.read<D>())?.document ?? null;
  }

  getWithETag<D extends AppMetadataDocument>(): Promise<VersionedDocument<D> | null> {
    return this.at.read<D>();
  }

  set<D extends AppMetadataDocument>(
    document: D,
    options?: WriteOptions,
  ): Promise<VersionedDocument<D>> {
    return this.at.set(document, options);
  }

  patch<D extends AppMetadataDocument>(
    patch: AppMetadataDocument,
    options?: WriteOptions,
  ): Promise<VersionedDocument<D>> {
    return this.at.patch(patch, options);
  }

  delete(options?: WriteOptions): Promise<void> {
    return this.at.delete(options);
  }

  update<D extends AppMetadataDocument>(
    fn: Updater<D>,
    options?: UpdateOptions,
  ): Promise<D | null> {
    return this.at.update(fn, options);
  }
}

export class ProfileResource {
  readonly appMetadata: ProfileAppMetadata;

  constructor(private readonly transport: Transport) {
    this.appMetadata = new ProfileAppMetadata(transport);
  }

  /** The user, with this app's `app_metadata` merged in (needs the `profile` scope). */
  async get(): Promise<Profile & { app_metadata?: AppMetadataDocument }> {
    return (await this.transport.json<Profile>('GET', '/api/v1/profile')).body;
  }
}
