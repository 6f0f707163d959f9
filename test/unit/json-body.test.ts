import { describe, it, expect } from 'vitest';
import { jsonDepth, parseStrictJson, readBoundedBytes } from '../../src/http/body-reader';
import { OVERSIZE_BODY_DRAIN_MAX_BYTES } from '../../src/config';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const parse = (s: string, maxDepth = 32) => parseStrictJson(bytes(s), maxDepth);

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[k++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** A refusal of kind invalid_json, whatever else the error carries. */
function expectInvalidJson(result: ReturnType<typeof parseStrictJson>): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.kind).toBe('invalid_json');
}

/** One `it` per row: the text (JSON source) is refused as invalid_json. */
function itRefusesAsInvalidJson(table: Array<[string, string]>): void {
  it.each(table)('refuses %s as invalid_json', (_name, text) => {
    expectInvalidJson(parse(text));
  });
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('readBoundedBytes', () => {
  it('accepts a body of exactly limit bytes', async () => {
    const result = await readBoundedBytes(streamOf([new Uint8Array(1024).fill(0x61)]), 1024);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.byteLength).toBe(1024);
  });

  it('refuses a body of limit + 1 bytes as too_large', async () => {
    const result = await readBoundedBytes(streamOf([new Uint8Array(1025)]), 1024);
    expect(result).toEqual({ ok: false, error: { kind: 'too_large' } });
  });

  it('reassembles a stream delivered in many one-byte chunks', async () => {
    const text = '{"hello":"wörld","n":[1,2,3]}';
    const chunks = [...bytes(text)].map((b) => Uint8Array.of(b));
    const result = await readBoundedBytes(streamOf(chunks), 1024);
    expect(result.ok).toBe(true);
    if (result.ok) expect(new TextDecoder().decode(result.value)).toBe(text);
  });

  it('refuses many small chunks once their sum exceeds the limit', async () => {
    const chunks = Array.from({ length: 20 }, () => new Uint8Array(100));
    const result = await readBoundedBytes(streamOf(chunks), 1999);
    expect(result).toEqual({ ok: false, error: { kind: 'too_large' } });
  });

  it('cuts off an endless stream after the limit plus a bounded drain', async () => {
    const chunkBytes = 64 * 1024;
    let pulls = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(chunkBytes));
      },
      cancel() {
        cancelled = true;
      },
    });
    const result = await readBoundedBytes(endless, 1000);
    expect(result).toEqual({ ok: false, error: { kind: 'too_large' } });
    expect(pulls).toBeLessThanOrEqual(OVERSIZE_BODY_DRAIN_MAX_BYTES / chunkBytes + 4);
    await Promise.resolve();
    expect(cancelled).toBe(true);
  });

  it('reads a null body as an empty byte array', async () => {
    const result = await readBoundedBytes(null, 1024);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.byteLength).toBe(0);
  });

  it('counts the bytes of a Request body itself rather than trusting Content-Length', async () => {
    const request = new Request('http://x/', {
      method: 'PUT',
      headers: { 'Content-Length': '2' },
      body: streamOf([new Uint8Array(600), new Uint8Array(600)]),
      duplex: 'half',
    } as RequestInit);
    const result = await readBoundedBytes(request.body, 1024);
    expect(result).toEqual({ ok: false, error: { kind: 'too_large' } });
  });
});

describe('parseStrictJson: UTF-8', () => {
  it.each([
    ['an overlong encoding of "/"', [0x22, 0xc0, 0xaf, 0x22]],
    ['an overlong three-byte encoding', [0x22, 0xe0, 0x80, 0xaf, 0x22]],
    ['a truncated two-byte sequence', [0x22, 0xc3, 0x22]],
    ['a truncated sequence at end of input', [0x22, 0x61, 0x22, 0xe2, 0x82]],
    ['a lone continuation byte', [0x22, 0x80, 0x22]],
    ['a UTF-8-encoded surrogate (ED A0 80)', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a code point above U+10FFFF', [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]],
    ['an 0xFF byte', [0x7b, 0xff, 0x7d]],
  ])('refuses %s as invalid_json', (_name, seq) => {
    expectInvalidJson(parseStrictJson(Uint8Array.from(seq), 32));
  });

  it('refuses a leading byte order mark as invalid_json', () => {
    expectInvalidJson(parseStrictJson(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 32));
  });

  it('accepts multi-byte UTF-8 text', () => {
    expect(parse('{"名前":"wörld €"}')).toEqual({ ok: true, value: { 名前: 'wörld €' } });
  });
});

describe('parseStrictJson: grammar', () => {
  itRefusesAsInvalidJson([
    ['empty input', ''],
    ['whitespace only', ' \n\t'],
    ['a trailing comma in an array', '[1,2,]'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['single-quoted strings', "{'a':1}"],
    ['NaN', '{"a":NaN}'],
    ['Infinity', '[Infinity]'],
    ['-Infinity', '[-Infinity]'],
    ['a leading zero', '[01]'],
    ['a leading plus sign', '[+1]'],
    ['a fraction without integer part', '[.5]'],
    ['a fraction without digits', '[1.]'],
    ['an exponent without digits', '[1e]'],
    ['a lone minus sign', '[-]'],
    ['hexadecimal numbers', '[0x10]'],
    ['an unescaped control character in a string', '{"a":"x\u0001y"}'],
    ['an unescaped newline in a string', '["a\nb"]'],
    ['an invalid escape', '["\\x41"]'],
    ['a short \\u escape', '["\\u12"]'],
    ['an unterminated string', '{"a":"b'],
    ['trailing garbage', '{} x'],
    ['two top-level values', '{}{}'],
    ['a line comment', '{"a":1} // c'],
    ['a block comment', '{/* c */"a":1}'],
    ['an unquoted member name', '{a:1}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing comma', '[1 2]'],
    ['an unclosed array', '[1,2'],
    ['a mismatched bracket', '[1}'],
    ['a stray closing bracket', ']'],
    ['a truncated literal', '[tru]'],
    ['an upper-case literal', '[True]'],
    ['a non-breaking space as whitespace', '[1,\u00a02]'],
    ['a vertical tab as whitespace', '[1,\u000b2]'],
    ['a form feed as whitespace', '\f{}'],
  ]);

  it.each([
    ['an empty object', '{}', {}],
    ['an empty array with RFC 8259 whitespace', ' \t\r\n[ ]\n', []],
    ['a bare string', '"x"', 'x'],
    ['a bare number', '-12.5e+2', -1250],
    ['literals', '[true,false,null]', [true, false, null]],
    ['all two-character escapes', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'],
    ['a nested document', '{"a":{"b":[1,{"c":"d"}]},"e":[]}', { a: { b: [1, { c: 'd' }] }, e: [] }],
  ])('accepts %s', (_name, text, expected) => {
    expect(parse(text)).toEqual({ ok: true, value: expected });
  });
});

describe('parseStrictJson: surrogates', () => {
  itRefusesAsInvalidJson([
    ['an escaped lone high surrogate', '["\\ud800"]'],
    ['an escaped lone low surrogate', '["\\udc00"]'],
    ['a reversed escaped pair', '["\\udc00\\ud800"]'],
    ['a high surrogate followed by a letter', '["\\ud83dx"]'],
    ['two high surrogates', '["\\ud83d\\ud83d"]'],
    ['a lone surrogate in a member name', '{"\\ud800":1}'],
  ]);

  it('accepts a properly escaped surrogate pair', () => {
    expect(parse('["\\ud83d\\ude00"]')).toEqual({ ok: true, value: ['\u{1f600}'] });
  });

  it('accepts raw astral characters in names and values', () => {
    expect(parse('{"😀":"𝄞"}')).toEqual({ ok: true, value: { '😀': '𝄞' } });
  });
});

describe('parseStrictJson: duplicate member names', () => {
  itRefusesAsInvalidJson([
    ['a plain duplicate', '{"a":1,"a":2}'],
    ['a duplicate spelled with an escape', '{"a":1,"\\u0061":2}'],
    ['a duplicate with equal values', '{"a":1,"b":2,"a":1}'],
    ['a duplicate inside a nested object', '{"x":{"a":1,"a":2}}'],
    ['a duplicate inside an object in an array', '[{"k":1},{"k":1,"k":2}]'],
  ]);

  it('accepts the same name in sibling and nested objects', () => {
    const text = '{"a":{"a":1},"b":{"a":2},"c":[{"a":3},{"a":4}]}';
    expect(parse(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('treats names differing only in case as distinct', () => {
    expect(parse('{"a":1,"A":2}')).toEqual({ ok: true, value: { a: 1, A: 2 } });
  });
});

describe('parseStrictJson: numbers', () => {
  itRefusesAsInvalidJson([
    ['1e400', '[1e400]'],
    ['-1e400', '[-1e400]'],
    ['1e-400 (underflows to zero)', '[1e-400]'],
    ['a 400-digit integer', `[1${'0'.repeat(400)}]`],
    ['1.7976931348623159e308 (rounds to Infinity)', '[1.7976931348623159e308]'],
  ]);

  it.each([
    ['1.7976931348623157e308', 1.7976931348623157e308],
    ['5e-324', 5e-324],
    ['0e999', 0],
    ['0.000e-999', 0],
    ['-0', -0],
    ['123456789012345678901234567890', 123456789012345678901234567890],
  ])('accepts %s', (text, expected) => {
    const result = parse(`[${text}]`);
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.is((result.value as number[])[0], expected)).toBe(true);
  });
});

describe('parseStrictJson: depth', () => {
  it('accepts exactly maxDepth levels', () => {
    expect(parse(nested(32)).ok).toBe(true);
  });

  it('refuses maxDepth + 1 levels as too_deep', () => {
    expect(parse(nested(33))).toEqual({ ok: false, error: { kind: 'too_deep' } });
  });

  it('refuses 100000 unclosed brackets as invalid_json without throwing', () => {
    expect(parse('['.repeat(100_000))).toMatchObject({
      ok: false,
      error: { kind: 'invalid_json' },
    });
  });

  it('refuses 100000 unclosed nested objects as invalid_json without throwing', () => {
    expect(parse('{"a":'.repeat(100_000))).toMatchObject({
      ok: false,
      error: { kind: 'invalid_json' },
    });
  });

  it('refuses 100000 closed nested arrays as too_deep without throwing', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parse(text)).toEqual({ ok: false, error: { kind: 'too_deep' } });
  });

  it('refuses an over-deep document with a duplicate name as invalid_json', () => {
    expect(parse(`{"a":1,"a":${nested(40)}}`)).toMatchObject({
      ok: false,
      error: { kind: 'invalid_json' },
    });
  });

  it('ignores brackets inside strings when counting depth', () => {
    expect(parse(`{"a":"${'[{'.repeat(50)}\\""}`, 1).ok).toBe(true);
  });

  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":1}', 1],
    ['{"a":{"b":[1]}}', 3],
  ])('counts %s as depth %i', (text, depth) => {
    expect(parse(text, depth).ok).toBe(true);
    if (depth > 0)
      expect(parse(text, depth - 1)).toEqual({ ok: false, error: { kind: 'too_deep' } });
  });
});

describe('parseStrictJson: prototype-related names', () => {
  it.each(['__proto__', 'constructor', 'prototype'])(
    'keeps "%s" as an own enumerable property',
    (name) => {
      const result = parse(`{"${name}":{"polluted":true},"x":1}`);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const value = result.value as Record<string, unknown>;
      expect(Object.keys(value)).toEqual([name, 'x']);
      expect(Object.getOwnPropertyDescriptor(value, name)?.value).toEqual({ polluted: true });
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    },
  );

  it('does not pollute Object.prototype', () => {
    parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect('polluted' in Object.prototype).toBe(false);
  });
});

describe('jsonDepth', () => {
  it.each([
    ['a scalar', 1, 0],
    ['null', null, 0],
    ['an empty object', {}, 1],
    ['a flat object', { a: 1 }, 1],
    ['{"a":{"b":[1]}}', { a: { b: [1] } }, 3],
    ['an uneven tree', [1, [2, [3]], { a: {} }], 3],
  ])('measures %s', (_name, value, depth) => {
    expect(jsonDepth(value)).toBe(depth);
  });

  it('matches the parser depth rule for nested values', () => {
    for (const depth of [1, 2, 17, 32]) expect(jsonDepth(JSON.parse(nested(depth)))).toBe(depth);
  });

  it('measures 100000 levels without overflowing the stack', () => {
    let value: unknown[] = [];
    for (let k = 1; k < 100_000; k++) value = [value];
    expect(jsonDepth(value)).toBe(100_000);
  });

  it('counts a __proto__ own property like any other member', () => {
    const value = JSON.parse('{"__proto__":{"a":[1]}}') as unknown;
    expect(jsonDepth(value)).toBe(3);
  });
});
