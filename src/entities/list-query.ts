/**
 * The query of an entity list (spec §8, §11), written once: the zod schema validates the
 * request (400 validation_error naming the parameter) and documents it in /openapi.json, and
 * toListFilters turns the validated strings into typed filters.
 */
import { z } from '@hono/zod-openapi';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, LIST_MAX_TAG_FILTER_VALUES } from '../config';
import { ApiError } from '../errors';
import { type ListCursor, type ListSort, decodeCursor } from './list-cursor';
import { type MetadataFilter, parseMetadataFilters } from './metadata-filters';
import { SPORTS } from './sports';
import { parseDateTime, parseFilterBound } from './time';

const SPORT_SET: ReadonlySet<string> = new Set(SPORTS);
const MAX_FILTER_VALUES = 50;
const MAX_TAG_CHARS = 64;
const OFFSET_MAX = 1_000_000_000;

export interface ListFilters {
  start: number | null;
  end: number | null;
  sports: string[] | null;
  /** Distinct tags (issue 8 finding 1: at most LIST_MAX_TAG_FILTER_VALUES). */
  tags: string[] | null;
  limit: number;
  offset: number;
  /** spec §14: `time` is newest first by start/timestamp; `updated_at` is oldest change first. */
  sort: ListSort;
  cursor: ListCursor | null;
  updatedSince: number | null;
  createdBy: string | null;
  metadata: MetadataFilter[];
}

/** An optional query parameter holding a whole number in [min, max], documented as an integer. */
export function wholeNumber(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .refine((value) => Number(value) >= min && Number(value) <= max, {
      message: `must be between ${min} and ${max}`,
    })
    .optional()
    .openapi({ type: 'integer', minimum: min, maximum: max, description });
}

function dateBound(edge: 'start' | 'end') {
  return z
    .string()
    .refine((value) => parseFilterBound(value, edge) !== null, {
      message: 'must be an ISO date or date-time with offset',
    })
    .optional()
    .openapi({
      description: 'ISO date or date-time; a bare date covers its whole UTC day',
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', format: 'date-time' },
      ],
    });
}

function splitList(value: string): string[] {
  return value.split(',', MAX_FILTER_VALUES + 1).map((item) => item.trim());
}

function commaList(accept: (item: string) => boolean, description: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const items = splitList(value);
      if (items.length > MAX_FILTER_VALUES) {
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_FILTER_VALUES} values` });
        return;
      }
      const bad = items.find((item) => !accept(item));
      if (bad !== undefined)
        ctx.addIssue({ code: 'custom', message: `unknown value "${bad.slice(0, 64)}"` });
    })
    .optional()
    .openapi({ description });
}

export const ListQuerySchema = z.object({
  start: dateBound('start'),
  end: dateBound('end'),
  sports: commaList(
    (item) => SPORT_SET.has(item),
    'comma-separated; a sport includes its sub-sports',
  ),
  tags: commaList(
    (item) => item.length > 0 && item.length <= MAX_TAG_CHARS,
    `comma-separated; entities with any of them; at most ${LIST_MAX_TAG_FILTER_VALUES} distinct`,
  ).refine(
    (value) => value === undefined || new Set(splitList(value)).size <= LIST_MAX_TAG_FILTER_VALUES,
    { message: `at most ${LIST_MAX_TAG_FILTER_VALUES} distinct values` },
  ),
  limit: wholeNumber(1, LIST_MAX_LIMIT, `page size, default ${LIST_DEFAULT_LIMIT}`),
  offset: wholeNumber(0, OFFSET_MAX, 'items to skip, default 0; not with cursor'),
  cursor: z
    .string()
    .refine((value) => decodeCursor(value) !== null, { message: 'is not a cursor of this list' })
    .optional()
    .openapi({ description: 'Opaque; take it from the `Link: <…>; rel="next"` header' }),
  sort: z
    .enum(['updated_at'])
    .optional()
    .openapi({ description: 'updated_at: oldest change first; default newest first by start' }),
  updated_since: z
    .string()
    .refine((value) => parseDateTime(value) !== null, {
      message: 'must be an ISO date-time with offset',
    })
    .optional()
    .openapi({
      description: 'Entities updated at or after this ISO date-time',
      format: 'date-time',
    }),
  created_by: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a client_id')
    .optional()
    .openapi({ description: 'Entities created by this application (client_id)' }),
  'app_metadata.has': z
    .string()
    .optional()
    .openapi({
      description:
        "App token only: entities whose document (the caller's) has this top-level member. " +
        'Also app_metadata.missing=<key> and app_metadata.<key>=<JSON scalar or bare word>; ' +
        'several filters combine with AND.',
    }),
  'app_metadata.missing': z.string().optional().openapi({
    description: "App token only: entities whose document (the caller's) lacks this member",
  }),
});

export type ListQuery = z.infer<typeof ListQuerySchema>;

function invalid(field: string, message: string): ApiError {
  return new ApiError('validation_error', 'Some fields are invalid.', {
    details: { [field]: message },
  });
}

/** The cursor of a validated query, checked against the order it asks for. */
function cursorOf(query: ListQuery, sort: ListSort): ListCursor | null {
  if (query.cursor === undefined) return null;
  // spec §14: `cursor` and `offset` together → 400.
  if (query.offset !== undefined) throw invalid('cursor', 'cannot be combined with offset');
  const cursor = decodeCursor(query.cursor) as ListCursor;
  if (cursor.sort !== sort) throw invalid('cursor', 'was made for another sort order');
  return cursor;
}

/** Typed filters from a query that passed ListQuerySchema, and its app_metadata filters. */
export function toListFilters(query: ListQuery, params?: URLSearchParams): ListFilters {
  const bound = (value: string | undefined, edge: 'start' | 'end') =>
    value === undefined ? null : parseFilterBound(value, edge);
  const sort: ListSort = query.sort === 'updated_at' ? 'updated_at' : 'time';
  return {
    start: bound(query.start, 'start'),
    end: bound(query.end, 'end'),
    sports: query.sports === undefined ? null : splitList(query.sports),
    tags: query.tags === undefined ? null : [...new Set(splitList(query.tags))],
    limit: query.limit === undefined ? LIST_DEFAULT_LIMIT : Number(query.limit),
    offset: query.offset === undefined ? 0 : Number(query.offset),
    sort,
    cursor: cursorOf(query, sort),
    updatedSince: query.updated_since === undefined ? null : parseDateTime(query.updated_since),
    createdBy: query.created_by ?? null,
    metadata: params === undefined ? [] : parseMetadataFilters(params),
  };
}
