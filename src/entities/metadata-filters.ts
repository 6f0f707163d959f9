/**
 * Filters on the caller application's own document (spec §14, §17 "Metadata filters"), read
 * from the query string: `app_metadata.has=<key>`, `app_metadata.missing=<key>` and
 * `app_metadata.<key>=<JSON scalar or bare word>`. Keys follow the v2 key pattern; any other
 * `app_metadata…` parameter, a malformed value or too many filters is a 400 naming it.
 */
import { LIST_MAX_METADATA_FILTERS } from '../config';
import { ApiError } from '../errors';
import { KEY_PATTERN } from '../metadata/entries';

/** What the members index stores for a top-level scalar: its JSON type and its value. */
export type MemberValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'true' | 'false' | 'null'; value: null };

export type MetadataFilter =
  { op: 'has' | 'missing'; key: string } | { op: 'equals'; key: string; value: MemberValue };

const PREFIX = 'app_metadata';
const MAX_VALUE_CHARS = 1024;
/** A bare word (spec §14: "a bare word is a string"): no JSON punctuation, quotes or spaces. */
const BARE_WORD = /^[^\s"{}[\],:\\]+$/u;

function refuse(name: string, message: string): ApiError {
  return new ApiError('validation_error', 'The metadata filter is invalid.', {
    details: { [name.slice(0, 140)]: message },
    hint: 'Use app_metadata.has=<key>, app_metadata.missing=<key> or app_metadata.<key>=<JSON value>.',
  });
}

/** The JSON text of a scalar, or a bare word as a string; null for anything else. */
export function parseMemberValue(text: string): MemberValue | null {
  if (text.length === 0 || text.length > MAX_VALUE_CHARS) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return BARE_WORD.test(text) ? { type: 'string', value: text } : null;
  }
  if (typeof parsed === 'string') return { type: 'string', value: parsed };
  if (typeof parsed === 'number') {
    return Number.isFinite(parsed) ? { type: 'number', value: parsed } : null;
  }
  if (typeof parsed === 'boolean') return { type: parsed ? 'true' : 'false', value: null };
  if (parsed === null) return { type: 'null', value: null };
  return null;
}

function parseOne(name: string, value: string): MetadataFilter {
  const rest = name.slice(PREFIX.length + 1);
  if (!name.startsWith(`${PREFIX}.`) || !KEY_PATTERN.test(rest)) {
    throw refuse(name, 'must be app_metadata.has, app_metadata.missing or app_metadata.<key>');
  }
  if (rest === 'has' || rest === 'missing') {
    if (!KEY_PATTERN.test(value)) throw refuse(name, 'must name a key: [a-zA-Z0-9._-]{1,128}');
    return { op: rest, key: value };
  }
  const parsed = parseMemberValue(value);
  if (parsed === null) {
    throw refuse(name, 'must be a JSON string, number, boolean or null, or a bare word');
  }
  return { op: 'equals', key: rest, value: parsed };
}

/** Every `app_metadata…` parameter of the query, in order; [] when there is none. */
export function parseMetadataFilters(params: URLSearchParams): MetadataFilter[] {
  const filters: MetadataFilter[] = [];
  for (const [name, value] of params) {
    if (!name.startsWith(PREFIX)) continue;
    if (filters.length === LIST_MAX_METADATA_FILTERS) {
      throw refuse(PREFIX, `at most ${LIST_MAX_METADATA_FILTERS} filters`);
    }
    filters.push(parseOne(name, value));
  }
  return filters;
}
