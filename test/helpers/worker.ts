/**
 * Calls the Worker's real fetch handler inside workerd, optionally with substituted bindings
 * (a counting D1, a failing KV), and waits for its background work (KV refills) to finish.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';

export const ORIGIN = 'http://localhost';

export type BindingOverrides = Partial<Pick<Bindings, 'DB' | 'CACHE'>> & Record<string, unknown>;

export interface CallOptions {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
  /** A value to send as JSON (Content-Type set), or a raw string/bytes body. */
  json?: unknown;
  body?: BodyInit;
  bindings?: BindingOverrides;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set('Authorization', `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  }
  const request = new Request(`${ORIGIN}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body,
  });
  return dispatch(request, options.bindings);
}

/** Hands a request, as built, to the Worker's fetch and waits for its background work. */
export async function dispatch(
  request: Request,
  bindings: BindingOverrides = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...(env as unknown as Bindings), ...bindings } as Bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** Parses `Server-Timing: cache;desc="hit", d1;desc="0"`. */
export function serverTiming(response: Response): {
  cache: string | undefined;
  d1: number | undefined;
} {
  const header = response.headers.get('Server-Timing') ?? '';
  const cache = /cache;desc="(\w+)"/.exec(header)?.[1];
  const d1 = /d1;desc="(\d+)"/.exec(header)?.[1];
  return { cache, d1: d1 === undefined ? undefined : Number(d1) };
}

/** The JSON error body shape of spec §9, for toStrictEqual. */
export function apiError(errorCode: string, extra: Record<string, unknown> = {}) {
  return { error: expectAnyString(), errorCode, requestId: expectAnyString(), ...extra };
}

function expectAnyString() {
  return expect.any(String) as unknown as string;
}
