/**
 * Response headers of /openapi.json, described once under components/headers and referenced
 * by every response that carries them.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';

interface Header {
  /** The HTTP name; the component key is the same without dashes. */
  name: string;
  schema: { type: 'string' | 'integer'; minimum?: number; maxLength?: number };
  description: string;
}

const HEADERS = {
  RetryAfter: {
    name: 'Retry-After',
    schema: { type: 'integer', minimum: 0 },
    description: 'Whole seconds to wait before retrying (RFC 9110 §10.2.3)',
  },
  RateLimitPolicy: {
    name: 'RateLimit-Policy',
    schema: { type: 'string' },
    description: 'The quota that applies (draft-ietf-httpapi-ratelimit-headers)',
  },
  RateLimit: {
    name: 'RateLimit',
    schema: { type: 'string' },
    description:
      'What remains of the quota and when it resets (draft-ietf-httpapi-ratelimit-headers)',
  },
  AppmetaBookmark: {
    name: 'Appmeta-Bookmark',
    schema: { type: 'string', maxLength: 256 },
    description:
      'spec §17: the D1 session bookmark after this request; send it back to read your writes',
  },
  WwwAuthenticate: {
    name: 'WWW-Authenticate',
    schema: { type: 'string' },
    description:
      'RFC 6750 §3: `Bearer realm="appmeta"`, with error="invalid_token" or "insufficient_scope" (and the scope) when one applies; `Basic` for client authentication',
  },
} satisfies Record<string, Header>;

export type HeaderName = keyof typeof HEADERS;

/** `{ 'Retry-After': { $ref } , … }` for a response's `headers`. */
export function headerRefs(...names: HeaderName[]): Record<string, { $ref: string }> {
  return Object.fromEntries(
    names.map((name) => [HEADERS[name].name, { $ref: `#/components/headers/${name}` }]),
  );
}

export function registerHeaderComponents(app: OpenAPIHono<AppEnv>): void {
  for (const [key, { schema, description }] of Object.entries(HEADERS)) {
    app.openAPIRegistry.registerComponent('headers', key, { schema, description });
  }
}
