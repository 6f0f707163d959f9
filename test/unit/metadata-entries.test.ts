/** Pure v2 metadata rules with a fixed `now`: keys from paths, code points, UTF-8 bytes, bodies. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors';
import {
  codePointLength,
  keyFromPath,
  parseEntryBody,
  utf8Bytes,
} from '../../src/metadata/entries';

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0) / 1000;

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('keyFromPath', () => {
  it.each([
    ['/api/v2/metadata/plan', 'plan'],
    ['/api/v2/metadata/A.b_c-9', 'A.b_c-9'],
    ['/api/v2/metadata/%41bc', 'Abc'],
    [`/api/v2/metadata/${'k'.repeat(128)}`, 'k'.repeat(128)],
  ])('reads %s as %s', (path, key) => {
    expect(keyFromPath(path)).toBe(key);
  });

  it.each([
    ['/api/v2/metadata/', 'empty'],
    ['/api/v2/metadata', 'the collection'],
    ['/api/v2/metadata/a/b', 'a raw slash'],
    ['/api/v2/metadata/a%2Fb', 'an encoded slash'],
    ['/api/v2/metadata/a%E0%A4%A', 'a truncated escape'],
    ['/api/v2/metadata/%C0%AF', 'overlong UTF-8'],
    [`/api/v2/metadata/${'k'.repeat(129)}`, '129 characters'],
    [`/api/v2/metadata/${'%41'.repeat(129)}`, '129 encoded characters'],
    [`/api/v2/metadata/${'k'.repeat(100_000)}`, 'a very long path'],
  ])('refuses %s (%s) with 422 naming key', (path) => {
    const error = errorOf(() => keyFromPath(path));
    expect([error.code, error.status, Object.keys(error.options.details ?? {})]).toStrictEqual([
      'validation_error',
      422,
      ['key'],
    ]);
  });
});

describe('codePointLength and utf8Bytes', () => {
  it.each([
    ['', 0, 0],
    ['abc', 3, 3],
    ['é', 1, 2],
    ['€', 1, 3],
    ['\u{1F600}', 1, 4],
    ['e\u0301', 2, 3],
    ['a\u{1F600}b', 3, 6],
  ])('%j has %i code points and %i bytes', (value, points, bytes) => {
    expect(codePointLength(value)).toBe(points);
    expect(utf8Bytes(value)).toBe(bytes);
  });

  it('counts 65535 emoji as 65535 characters though they are 131070 UTF-16 units', () => {
    const value = '\u{1F600}'.repeat(65535);
    expect(value.length).toBe(131070);
    expect(codePointLength(value)).toBe(65535);
  });
});

describe('parseEntryBody', () => {
  it('returns the value, its UTF-8 size and no expiry when expires_at is omitted', () => {
    expect(parseEntryBody({ value: 'é' }, NOW)).toStrictEqual({
      value: 'é',
      valueBytes: 2,
      expiresAt: null,
    });
  });

  it('parses expires_at with an offset into unix seconds', () => {
    const input = parseEntryBody({ value: 'v', expires_at: '2026-05-01T14:00:01+02:00' }, NOW);
    expect(input.expiresAt).toBe(NOW + 1);
  });

  it('treats null expires_at as no expiry', () => {
    expect(parseEntryBody({ value: 'v', expires_at: null }, NOW).expiresAt).toBeNull();
  });

  it.each([
    ['now', '2026-05-01T12:00:00Z'],
    ['a fraction of a second from now', '2026-05-01T12:00:00.900Z'],
    ['in the past', '2026-05-01T11:59:59Z'],
  ])('refuses an expiry %s', (_name, expires) => {
    const error = errorOf(() => parseEntryBody({ value: 'v', expires_at: expires }, NOW));
    expect(error.options.details).toStrictEqual({ expires_at: 'must be in the future' });
  });

  it('refuses 65536 characters naming value', () => {
    const error = errorOf(() => parseEntryBody({ value: 'x'.repeat(65536) }, NOW));
    expect(Object.keys(error.options.details ?? {})).toStrictEqual(['value']);
  });
});
