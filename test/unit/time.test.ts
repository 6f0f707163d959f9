/** ISO-8601 parsing for entity timestamps and list filters (src/entities/time.ts). */
import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseDateTime, parseFilterBound } from '../../src/entities/time';

const MAY_1 = Date.UTC(2026, 4, 1) / 1000;

describe('parseDateTime', () => {
  it.each([
    ['2026-05-01T00:00:00Z', MAY_1],
    ['2026-05-01T02:00:00+02:00', MAY_1],
    ['2026-04-30T19:00:00-05:00', MAY_1],
    ['2026-05-01T00:00Z', MAY_1],
    ['2026-05-01T00:00:00.999Z', MAY_1],
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12) / 1000],
  ])('parses %s', (value, seconds) => {
    expect(parseDateTime(value)).toBe(seconds);
  });

  it.each([
    '2026-05-01',
    '2026-05-01T00:00:00',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-05-01T24:00:00Z',
    '2026-05-01T10:60:00Z',
    '2026-05-01T10:00:60Z',
    '2026-05-01 10:00:00Z',
    'yesterday',
    '',
    `2026-05-01T10:00:00.${'1'.repeat(40)}Z`,
    '0000-01-01T00:00:00Z',
  ])('refuses %j', (value) => {
    expect(parseDateTime(value)).toBeNull();
  });
});

describe('parseFilterBound', () => {
  it('takes a bare date as the first second of its UTC day for start', () => {
    expect(parseFilterBound('2026-05-01', 'start')).toBe(MAY_1);
  });

  it('takes a bare date as the last second of its UTC day for end', () => {
    expect(parseFilterBound('2026-05-01', 'end')).toBe(MAY_1 + 86_399);
  });

  it('takes a date-time as is for either edge', () => {
    expect(parseFilterBound('2026-05-01T12:00:00Z', 'end')).toBe(MAY_1 + 43_200);
  });

  it.each(['2026-02-30', '2026-5-1', '20260501', 'not-a-date'])('refuses %j', (value) => {
    expect(parseFilterBound(value, 'start')).toBeNull();
  });
});

describe('formatTimestamp', () => {
  it('formats whole seconds in UTC with Z', () => {
    expect(formatTimestamp(MAY_1 + 3661)).toBe('2026-05-01T01:01:01Z');
  });
});
