/**
 * @appmeta/client: the appmeta API from Node ≥ 20, browsers and Workers (fetch and WebCrypto
 * only). See README.md.
 */
export { Appmeta, type AppmetaOptions } from './client.js';
export { AppmetaError, type AppmetaErrorInit } from './errors.js';
export type { FetchLike } from './http.js';
export {
  REFRESH_MARGIN_SECONDS,
  type AuthorizationRequest,
  type AuthorizationUrlOptions,
  type OAuthOptions,
  type Tokens,
} from './oauth.js';
export {
  DEFAULT_UPDATE_ATTEMPTS,
  type Updater,
  type UpdateOptions,
  type WriteOptions,
} from './documents.js';
export { EntityAppMetadata, EntityResource, type CreateOptions } from './entities.js';
export { ProfileAppMetadata, ProfileResource } from './profile.js';
export { MetadataResource, type SetMetadataOptions } from './metadata.js';
export {
  ChangeStream,
  ChangesResource,
  type ChangesPageOptions,
  type ChangesStreamOptions,
} from './changes.js';
export { verifyWebhook, WebhooksResource, type WebhookHeaders } from './webhooks.js';
export type * from './types.js';
