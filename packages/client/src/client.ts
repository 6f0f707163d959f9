/** `new Appmeta({...})`: one client per credential (a personal key, or one user's tokens). */
import { ChangesResource } from './changes.js';
import { EntityResource } from './entities.js';
import { AppmetaError } from './errors.js';
import { type Credentials, type FetchLike, Transport } from './http.js';
import { MetadataResource } from './metadata.js';
import {
  type AuthorizationRequest,
  type AuthorizationUrlOptions,
  OAuthSession,
  type OAuthOptions,
  type Tokens,
} from './oauth.js';
import { ProfileResource } from './profile.js';
import { WebhooksResource } from './webhooks.js';

export interface AppmetaOptions {
  /** The platform's origin, e.g. `https://api.appmeta.example` or `http://localhost:8787`. */
  baseUrl: string;
  /** A personal API key; defaults to `APPMETA_API_KEY` in Node. */
  apiKey?: string | undefined;
  /** A third-party application acting for a user (authorization code flow with PKCE). */
  oauth?: OAuthOptions | undefined;
  /** The fetch to use (default: the global one). */
  fetch?: FetchLike | undefined;
}

export class Appmeta {
  readonly activities: EntityResource<'activities'>;
  readonly traces: EntityResource<'traces'>;
  readonly tests: EntityResource<'tests'>;
  readonly profile: ProfileResource;
  readonly metadata: MetadataResource;
  readonly changes: ChangesResource;
  readonly webhooks: WebhooksResource;
  private readonly transport: Transport;
  private readonly session: OAuthSession | undefined;

  constructor(options: AppmetaOptions) {
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.transport = new Transport(options.baseUrl, fetchImpl);
    const apiKey = options.apiKey ?? (options.oauth === undefined ? environmentKey() : undefined);
    if (apiKey !== undefined) {
      this.transport.credentials = staticKey(apiKey);
    } else if (options.oauth !== undefined) {
      // RFC 8414 §3.3: the issuer is the base URL as given (the metadata's `issuer` must equal it).
      this.session = new OAuthSession(new URL(options.baseUrl), fetchImpl, options.oauth);
      this.transport.credentials = this.session;
    }
    this.activities = new EntityResource(this.transport, 'activities');
    this.traces = new EntityResource(this.transport, 'traces');
    this.tests = new EntityResource(this.transport, 'tests');
    this.profile = new ProfileResource(this.transport);
    this.metadata = new MetadataResource(this.transport);
    this.changes = new ChangesResource(this.transport);
    this.webhooks = new WebhooksResource();
  }

  /** The current OAuth tokens (after `exchangeCode` or a refresh), if any. */
  get tokens(): Tokens | undefined {
    return this.session?.current;
  }

  /** Where to send the user: PKCE S256 and a fresh `state`; keep both until the callback. */
  authorizationUrl(options: AuthorizationUrlOptions): Promise<AuthorizationRequest> {
    return this.oauthSession().authorizationUrl(options);
  }

  /** Completes the flow from the callback URL; the tokens are kept and given to `onTokens`. */
  exchangeCode(
    callbackUrl: string | URL,
    check: { state: string; codeVerifier: string },
  ): Promise<Tokens> {
    return this.oauthSession().exchangeCode(callbackUrl, check);
  }

  /** Rotates the tokens now (shares a refresh already in progress). */
  refresh(): Promise<Tokens> {
    return this.oauthSession().refresh();
  }

  private oauthSession(): OAuthSession {
    if (this.session === undefined) {
      throw new AppmetaError({
        status: 0,
        errorCode: 'oauth_not_configured',
        message: 'This client has no `oauth` options (it uses an API key).',
      });
    }
    return this.session;
  }
}

function staticKey(apiKey: string): Credentials {
  const header = `Bearer ${apiKey}`;
  return { authorization: async () => header, recover: async () => false };
}

/** `APPMETA_API_KEY` where there is a `process.env` (Node); nothing in browsers and Workers. */
function environmentKey(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const value = env?.APPMETA_API_KEY;
  return value === undefined || value === '' ? undefined : value;
}
