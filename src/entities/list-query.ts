/**
 * The query of an entity list (spec §8, §11), written once: the zod schema validates the
 * request (400 validation_error naming the parameter) and documents it in /openapi.json, and
 * toListFilters turns the validated strings into typed filters.
 */
import { z } from '@hono/zod-openapi';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '../config';
import { SPORTS } from './sports';
import { parseFilterBound } from './time';

const SPORT_SET: ReadonlySet<string> = new Set(SPORTS);
const MAX_FILTER_VALUES = 50;
const MAX_TAG_CHARS = 64;
const OFFSET_MAX = 1_000_000_000;

export interface ListFilters {
  start: number | null;
  end: number | null;
  sports: string[] | null;
  tags: string[] | null;
  limit: number;
  offset: number;
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
    .openapi({ description: 'ISO date or date-time; a bare date covers its whole UTC day' });
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
    'comma-separated; entities with any of them',
  ),
  limit: wholeNumber(1, LIST_MAX_LIMIT, `page size, default ${LIST_DEFAULT_LIMIT}`),
  offset: wholeNumber(0, OFFSET_MAX, 'items to skip, default 0'),
});

export type ListQuery = z.infer<typeof ListQuerySchema>;

/** Typed filters from a query that passed ListQuerySchema. */
export function toListFilters(query: ListQuery): ListFilters {
  const bound = (value: string | undefined, edge: 'start' | 'end') =>
    value === undefined ? null : parseFilterBound(value, edge);
  return {
    start: bound(query.start, 'start'),
    end: bound(query.end, 'end'),
    sports: query.sports === undefined ? null : splitList(query.sports),
    tags: query.tags === undefined ? null : splitList(query.tags),
    limit: query.limit === undefined ? LIST_DEFAULT_LIMIT : Number(query.limit),
    offset: query.offset === undefined ? 0 : Number(query.offset),
  };
}
