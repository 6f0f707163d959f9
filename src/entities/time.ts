/** ISO-8601 parsing and formatting for entity timestamps (stored as unix seconds). */

/** `2024-05-01T10:00:00Z` / `…+02:00` / with fractional seconds; an offset is required. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Unix seconds of an ISO date-time with offset, or null when malformed or not a real date. */
export function parseDateTime(value: string): number | null {
  if (value.length > 40) return null;
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  if (!isRealDate(Number(y), Number(mo), Number(d))) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/**
 * A list filter bound (spec §11): an ISO date-time, or a bare date covering its whole UTC day
 * (the first second for `start`, the last for `end`).
 */
export function parseFilterBound(value: string, edge: 'start' | 'end'): number | null {
  const match = DATE.exec(value);
  if (!match) return parseDateTime(value);
  const [, y, mo, d] = match;
  if (!isRealDate(Number(y), Number(mo), Number(d))) return null;
  const dayStart = Date.UTC(Number(y), Number(mo) - 1, Number(d)) / 1000;
  return edge === 'start' ? dayStart : dayStart + 86_399;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** `2024-05-01T10:00:00Z`: ISO-8601 in UTC, offset `Z`, whole seconds. */
export function formatTimestamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
