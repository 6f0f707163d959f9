/**
 * Pure rules of the v2 key/value store (spec §5, §11): the key taken from the request path,
 * the PUT body (`value`, `expires_at`), and the counting units (code points for the value's
 * length, UTF-8 bytes for the quota). No Hono context, no storage; `now` is passed in.
 */
import { z } from '@hono/zod-openapi';
import { METADATA_KEY_MAX_CHARS, METADATA_VALUE_MAX_CODE_POINTS } from '../config';
import { parseDateTime } from '../entities/time';
import { ApiError } from '../errors';
import { validate } from '../validate';

/** Anchored, one character class, bounded: no backtracking on user input. */
export const KEY_PATTERN = new RegExp(`^[a-zA-Z0-9._-]{1,${METADATA_KEY_MAX_CHARS}}$`);
/** Percent-encoding inflates a character to at most 3 bytes; anything longer cannot be valid. */
const MAX_ENCODED_KEY_CHARS = METADATA_KEY_MAX_CHARS * 3;

export const ENTRY_PATH_PREFIX = '/api/v2/metadata/';

function invalidKey(): ApiError {
  return new ApiError('validation_error', 'The key is invalid.', {
    status: 422,
    details: { key: `must match [a-zA-Z0-9._-] and be 1 to ${METADATA_KEY_MAX_CHARS} characters` },
    hint: 'Keys are path segments: letters, digits, ".", "_" and "-".',
  });
}

/**
 * The key of `/api/v2/metadata/{key}` from the raw (still percent-encoded) path: everything
 * after the prefix, slashes included, decoded here so that `%2F` or an invalid escape is a 422
 * naming `key` rather than a routing 404. Throws ApiError 422 for anything outside the pattern.
 */
export function keyFromPath(pathname: string): string {
  const raw = pathname.startsWith(ENTRY_PATH_PREFIX)
    ? pathname.slice(ENTRY_PATH_PREFIX.length)
    : '';
  if (raw.length === 0 || raw.length > MAX_ENCODED_KEY_CHARS) throw invalidKey();
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw invalidKey();
  }
  if (!KEY_PATTERN.test(key)) throw invalidKey();
  return key;
}

/** Length in Unicode code points (a surrogate pair is one character), not UTF-16 units. */
export function codePointLength(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

/** Size of the value in UTF-8 bytes, the unit of the 1 MiB quota (spec §11). */
export function utf8Bytes(value: string): number {
  return new TextEncoder().encode(value).byteLength;
}

export const EntryBodySchema = z
  .object({
    value: z
      .string()
      .openapi({ description: `At most ${METADATA_VALUE_MAX_CODE_POINTS} characters` }),
    expires_at: z.string().nullable().optional().openapi({
      description: 'ISO-8601 date-time with offset, in the future; omit or null for none',
    }),
  })
  .openapi('MetadataEntryInput');

export const EntrySchema = z
  .object({
    key: z.string(),
    value: z.string(),
    expires_at: z.string().nullable(),
  })
  .openapi('MetadataEntry');

export interface EntryInput {
  value: string;
  valueBytes: number;
  /** Unix seconds, or null for no expiry (also when `expires_at` was omitted: it clears it). */
  expiresAt: number | null;
}

function invalidField(field: string, message: string): ApiError {
  return new ApiError('validation_error', 'Some fields are invalid.', {
    status: 422,
    details: { [field]: message },
  });
}

/** Validates a parsed PUT body (unknown members are ignored). Throws ApiError 422. */
export function parseEntryBody(body: unknown, now: number): EntryInput {
  const parsed = validate(EntryBodySchema, body, 422);
  if (codePointLength(parsed.value) > METADATA_VALUE_MAX_CODE_POINTS) {
    throw invalidField('value', `must be at most ${METADATA_VALUE_MAX_CODE_POINTS} characters`);
  }
  let expiresAt: number | null = null;
  if (parsed.expires_at !== undefined && parsed.expires_at !== null) {
    expiresAt = parseDateTime(parsed.expires_at);
    if (expiresAt === null) {
      throw invalidField('expires_at', 'must be an ISO-8601 date-time with offset');
    }
    if (expiresAt <= now) throw invalidField('expires_at', 'must be in the future');
  }
  return { value: parsed.value, valueBytes: utf8Bytes(parsed.value), expiresAt };
}
