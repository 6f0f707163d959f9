/**
 * Reading JSON request bodies: media type (415), a bounded byte count (413), strict I-JSON
 * (400 invalid_json) and depth (422 too_deep); src/validate.ts then applies the zod schema.
 * Bad input becomes an ApiError here and never reaches storage.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { type BodyError, parseStrictJson, readBoundedBytes } from './body-reader';

export interface JsonBodyOptions {
  maxBytes: number;
  maxDepth: number;
  /** Accepted media type; spec §11: every JSON body endpoint requires it. */
  mediaType?: 'application/json' | 'application/merge-patch+json';
}

export interface JsonBody {
  value: unknown;
  /** The validated body text exactly as sent (UTF-8 decoded). */
  text: string;
  bytes: number;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(header: string | undefined): string | null {
  if (!header) return null;
  return (header.split(';', 1)[0] ?? '').trim().toLowerCase();
}

export async function readJsonBody(
  c: Context<AppEnv>,
  options: JsonBodyOptions,
): Promise<JsonBody> {
  const mediaType = options.mediaType ?? 'application/json';
  if (mediaTypeOf(c.req.header('Content-Type')) !== mediaType) {
    throw new ApiError('unsupported_media_type', `The request body must be ${mediaType}.`, {
      hint: `Send Content-Type: ${mediaType}.`,
    });
  }
  const read = await readBoundedBytes(c.req.raw.body, options.maxBytes);
  if (!read.ok) throw bodyError(read.error, options.maxBytes);
  const parsed = parseStrictJson(read.value, options.maxDepth);
  if (!parsed.ok) throw bodyError(parsed.error, options.maxBytes, options.maxDepth);
  const text = new TextDecoder().decode(read.value);
  return { value: parsed.value, text, bytes: read.value.byteLength };
}

function bodyError(error: BodyError, maxBytes: number, maxDepth?: number): ApiError {
  switch (error.kind) {
    case 'too_large':
      return new ApiError(
        'payload_too_large',
        `The request body is larger than ${maxBytes} bytes.`,
      );
    case 'too_deep':
      return new ApiError('too_deep', `The document is nested deeper than ${maxDepth} levels.`);
    case 'invalid_json':
      return new ApiError('invalid_json', 'The request body is not valid JSON.', {
        hint: 'Send UTF-8 I-JSON (RFC 7493): no duplicate names, lone surrogates or huge numbers.',
      });
  }
}
