/**
 * The one place requests are made: the base URL, the credential (a personal key or the OAuth
 * session's access token), the read-your-writes bookmark, and turning failures into
 * AppmetaError. Everything else in the client calls `send` or `json`.
 */
import { AppmetaError, errorFromResponse } from './errors.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export interface RequestOptions {
  query?: Record<string, QueryValue> | undefined;
  /** A value sent as JSON (`Content-Type: application/json`). */
  json?: unknown;
  /** A body sent as is, with `contentType`. */
  body?: string | undefined;
  contentType?: string | undefined;
  headers?: Record<string, string | undefined> | undefined;
}

/** Supplies the Authorization header and recovers once from a 401 `invalid_token`. */
export interface Credentials {
  authorization(): Promise<string | undefined>;
  /** Called with the header a 401 `invalid_token` answered; true to retry once. */
  recover(rejected: string): Promise<boolean>;
}

const BOOKMARK = 'Appmeta-Bookmark';

export class Transport {
  readonly baseUrl: URL;
  readonly fetch: FetchLike;
  credentials: Credentials | undefined;
  /** The newest bookmark received (spec §17: D1 bookmarks sort oldest to newest). */
  private bookmark: string | undefined;

  constructor(baseUrl: string, fetchImpl: FetchLike, credentials?: Credentials) {
    this.baseUrl = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.fetch = fetchImpl;
    this.credentials = credentials;
  }

  /** An absolute URL for an API path (`/api/v1/...`) or a URL the server sent (`Link`). */
  url(pathOrUrl: string, query?: Record<string, QueryValue>): URL {
    const url = new URL(pathOrUrl.replace(/^\//, ''), this.baseUrl);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(',') : String(value);
      url.searchParams.set(name, text);
    }
    return url;
  }

  /** Sends one request (retried once after a refreshed token) and returns any response. */
  async send(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(pathOrUrl, options.query);
    const authorization = await this.credentials?.authorization();
    const response = await this.once(method, url, options, authorization);
    if (authorization === undefined || !isInvalidToken(response)) return response;
    if (!(await this.credentials?.recover(authorization))) return response;
    return this.once(method, url, options, await this.credentials?.authorization());
  }

  /** Sends and parses a JSON answer; any non-2xx becomes an AppmetaError. */
  async json<T>(
    method: string,
    pathOrUrl: string,
    options: RequestOptions = {},
  ): Promise<{ body: T; response: Response }> {
    const response = await this.send(method, pathOrUrl, options);
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return { body: undefined as T, response };
    return { body: (await response.json()) as T, response };
  }

  /** Like `json`, but a 404 resolves to null (spec §17: `get` of an absent document). */
  async jsonOrNull<T>(
    method: string,
    pathOrUrl: string,
    options: RequestOptions = {},
  ): Promise<{ body: T; response: Response } | null> {
    const response = await this.send(method, pathOrUrl, options);
    if (response.status === 404) return null;
    if (!response.ok) throw await errorFromResponse(response);
    return { body: (await response.json()) as T, response };
  }

  private async once(
    method: string,
    url: URL,
    options: RequestOptions,
    authorization: string | undefined,
  ): Promise<Response> {
    const headers = new Headers({ Accept: 'application/json' });
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) headers.set(name, value);
    }
    if (authorization !== undefined) headers.set('Authorization', authorization);
    if (this.bookmark !== undefined) headers.set(BOOKMARK, this.bookmark);
    let body = options.body;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (body !== undefined) {
      headers.set('Content-Type', options.contentType ?? 'application/json');
    }
    let response: Response;
    try {
      response = await this.fetch(url.toString(), { method, headers, body });
    } catch (cause) {
      throw new AppmetaError({
        status: 0,
        errorCode: 'network_error',
        message: `${method} ${url.pathname} failed: ${String(cause)}`,
        cause,
      });
    }
    this.remember(response.headers.get(BOOKMARK));
    return response;
  }

  private remember(bookmark: string | null): void {
    if (bookmark === null) return;
    if (this.bookmark === undefined || bookmark > this.bookmark) this.bookmark = bookmark;
  }
}

/** RFC 6750 §3.1: the token is expired, revoked or malformed (not a scope problem). */
function isInvalidToken(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get('WWW-Authenticate') ?? '';
  return /error="invalid_token"/i.test(challenge);
}
