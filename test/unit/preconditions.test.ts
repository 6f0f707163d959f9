/** RFC 9110 §13.1 If-Match / If-None-Match parsing (src/http/preconditions.ts). */
import { describe, expect, it } from 'vitest';
import { etagOf, parsePreconditions } from '../../src/metadata/preconditions';

describe('parsePreconditions', () => {
  it('is null for absent headers', () => {
    expect(parsePreconditions(undefined, undefined)).toStrictEqual({
      ifMatch: null,
      ifNoneMatch: null,
    });
  });

  it('reads * as any', () => {
    expect(parsePreconditions('*', ' * ')).toStrictEqual({
      ifMatch: { any: true, tags: [] },
      ifNoneMatch: { any: true, tags: [] },
    });
  });

  it('reads a list of strong tags by their opaque part', () => {
    expect(parsePreconditions('"a", "b" ,"c"', undefined).ifMatch).toStrictEqual({
      any: false,
      tags: ['a', 'b', 'c'],
    });
  });

  it('drops weak tags from If-Match: strong comparison never matches them', () => {
    expect(parsePreconditions('W/"a", "b"', undefined).ifMatch).toStrictEqual({
      any: false,
      tags: ['b'],
    });
  });

  it('keeps weak tags for If-None-Match (weak comparison)', () => {
    expect(parsePreconditions(undefined, 'W/"a"').ifNoneMatch).toStrictEqual({
      any: false,
      tags: ['a'],
    });
  });

  it.each(['a', '"a', 'a"', '"a"b"', "'a'", '"a b"', ''])(
    'matches nothing for the malformed tag %j',
    (header) => {
      expect(parsePreconditions(header, undefined).ifMatch).toStrictEqual({
        any: false,
        tags: [],
      });
    },
  );

  it('does not read * inside a list as any', () => {
    expect(parsePreconditions('"a", *', undefined).ifMatch).toStrictEqual({
      any: false,
      tags: ['a'],
    });
  });
});

describe('etagOf', () => {
  it('quotes the version as a strong tag', () => {
    expect(etagOf('abc')).toBe('"abc"');
  });
});
