/**
 * Clients of @appmeta/client wired to the Worker's own fetch (no mocks of the API), with a
 * log of every request they make so tests can count token-endpoint calls and read headers.
 */
import { Appmeta, type AppmetaOptions } from '../../packages/client/src/index';
import { workerFetch } from '../helpers/browser';
import { ORIGIN } from '../helpers/worker';

export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
}

/** A fetch that records each request before handing it to the Worker. */
export function recordingFetch(log: SentRequest[] = []) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    log.push({ method: request.method, url: new URL(request.url), headers: request.headers });
    return workerFetch(request);
  };
  return { fetch, log };
}

/** A client authenticated with a bearer token (a personal key or a minted app token). */
export function clientWithKey(apiKey: string, options: Partial<AppmetaOptions> = {}) {
  const { fetch, log } = recordingFetch();
  const client = new Appmeta({ baseUrl: ORIGIN, apiKey, fetch, ...options });
  return { client, log };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
