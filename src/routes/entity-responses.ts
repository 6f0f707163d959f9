/** Shared response pieces for entity and profile routes: 401/404 and list filters. */
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '../config';
import { SPORTS } from '../entities/sports';
import { parseFilterBound } from '../entities/time';
import { ApiError } from '../errors';
import type { ListFilters } from '../storage/entities';

const SPORT_SET: ReadonlySet<string> = new Set(SPORTS);
const MAX_FILTER_VALUES = 50;

/** A token that verified but whose grant, key or application is no longer active. */
export function inactive(): ApiError {
  return new ApiError('invalid_token', 'The access token has been revoked.');
}

/** Missing and foreign entities answer alike (spec §4). */
export function notFound(noun: string): ApiError {
  return new ApiError('not_found', `No such ${noun}.`);
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('validation_error', 'Some query parameters are invalid.', {
    details: { [field]: message },
  });
}

function parseCount(
  value: string | undefined,
  field: string,
  min: number,
  max: number,
  fallback: number,
) {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw invalid(field, 'must be a whole number');
  const number = Number(value);
  if (number < min || number > max) throw invalid(field, `must be between ${min} and ${max}`);
  return number;
}

function parseList(value: string | undefined, field: string, accept: (item: string) => boolean) {
  if (value === undefined) return null;
  const items = value.split(',', MAX_FILTER_VALUES + 1).map((item) => item.trim());
  if (items.length > MAX_FILTER_VALUES) throw invalid(field, `at most ${MAX_FILTER_VALUES} values`);
  for (const item of items)
    if (!accept(item)) throw invalid(field, `unknown value "${item.slice(0, 64)}"`);
  return items;
}

/** Query parameters of a list (spec §11): malformed values are 400 validation_error. */
export function parseListFilters(query: Record<string, string>): ListFilters {
  const bound = (field: 'start' | 'end') => {
    const raw = query[field];
    if (raw === undefined) return null;
    const seconds = parseFilterBound(raw, field);
    if (seconds === null) throw invalid(field, 'must be an ISO date or date-time with offset');
    return seconds;
  };
  return {
    start: bound('start'),
    end: bound('end'),
    sports: parseList(query.sports, 'sports', (item) => SPORT_SET.has(item)),
    tags: parseList(query.tags, 'tags', (item) => item.length > 0 && item.length <= 64),
    limit: parseCount(query.limit, 'limit', 1, LIST_MAX_LIMIT, LIST_DEFAULT_LIMIT),
    offset: parseCount(query.offset, 'offset', 0, 1_000_000_000, 0),
  };
}
