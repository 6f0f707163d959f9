/**
 * Hostile request bodies through the real HTTP path (OWASP API4, spec §4, §11): every row
 * gets its documented 4xx, never a 5xx, and nothing is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OVERSIZE_BODY_DRAIN_MAX_BYTES } from '../../src/config';
import { userWithApp } from '../helpers/factories';
import { createEntity, metadataPath, metadataRows, nestedObject } from '../helpers/entities';
import { apiError, call, dispatch, ORIGIN } from '../helpers/worker';

let token: string;
let entityId: string;
let path: string;

beforeAll(async () => {
  ({ token } = await userWithApp());
  entityId = (await createEntity(token)).id;
  path = metadataPath('activities', entityId);
});

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const put = (body: BodyInit, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'PUT',
    token,
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

const invalidJson: Array<[string, Uint8Array]> = [
  ['truncated JSON', utf8('{"a":')],
  ['an empty body', utf8('')],
  ['trailing garbage', utf8('{"a":1} x')],
  ['two documents', utf8('{}{}')],
  ['single quotes', utf8("{'a':1}")],
  ['a trailing comma', utf8('{"a":1,}')],
  ['a comment', utf8('{"a":1 /* x */}')],
  ['NaN', utf8('{"a":NaN}')],
  ['Infinity', utf8('{"a":Infinity}')],
  ['1e400', utf8('{"a":1e400}')],
  ['-1e400', utf8('{"a":-1e400}')],
  ['a duplicate member', utf8('{"a":1,"a":2}')],
  ['a duplicate nested member', utf8('{"o":{"k":1,"k":1}}')],
  ['a duplicate __proto__', utf8('{"__proto__":1,"__proto__":2}')],
  ['an escaped lone high surrogate', utf8('{"a":"\\ud800"}')],
  ['an escaped lone low surrogate', utf8('{"a":"\\udc00x"}')],
  ['a lone surrogate in a name', utf8('{"\\ud83d":1}')],
  ['invalid UTF-8 (0xff)', concat(utf8('{"a":"'), bytes(0xff), utf8('"}'))],
  ['overlong UTF-8', concat(utf8('{"a":"'), bytes(0xc0, 0xaf), utf8('"}'))],
  ['a UTF-8 encoded surrogate', concat(utf8('{"a":"'), bytes(0xed, 0xa0, 0x80), utf8('"}'))],
  ['a truncated multibyte sequence', concat(utf8('{"a":"'), bytes(0xe2, 0x82), utf8('"}'))],
  ['a byte order mark', concat(bytes(0xef, 0xbb, 0xbf), utf8('{}'))],
  ['a raw control character', utf8('{"a":"\u0001"}')],
  ['UTF-16', new Uint8Array(new Uint16Array([0x7b, 0x7d]).buffer)],
];

describe('metadata PUT: malformed input is 400 invalid_json and writes nothing', () => {
  it.each(invalidJson)('refuses %s', async (_name, body) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(apiError('invalid_json', { hint: expect.any(String) }));
    expect(await metadataRows('activities', entityId)).toStrictEqual([]);
  });
});

describe('metadata PUT: size and depth', () => {
  it.each([
    ['10,000 nested arrays', `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
    ['100,000 nested objects (over the byte limit too)', nestedObject(100_000)],
  ])('answers %s with a 4xx, never a 5xx', async (_name, text) => {
    const res = await put(text);
    expect([413, 422]).toContain(res.status);
  });

  it('refuses 33 levels inside 1024 bytes with 422 too_deep', async () => {
    const res = await put(`{"a":${'['.repeat(32)}${']'.repeat(32)}}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(apiError('too_deep'));
  });

  it.each([
    ['unclosed brackets past depth 32', `{"a":${'['.repeat(40)}`],
    ['a duplicate name beside 33 levels', `{"a":1,"a":${'['.repeat(33)}${']'.repeat(33)}}`],
  ])('answers malformed JSON with %s as 400 invalid_json, not 422 (spec §11)', async (_n, text) => {
    const res = await put(text);
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(apiError('invalid_json', { hint: expect.any(String) }));
  });

  it('counts a streamed body without Content-Length', async () => {
    const chunks = [utf8('{"a":"'), utf8('x'.repeat(1100)), utf8('"}')];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await put(stream);
    expect(res.status).toBe(413);
    expect(await res.json()).toStrictEqual(apiError('payload_too_large'));
  });

  it('reads an oversized body to its end before answering 413 (wrangler dev keeps the connection)', async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls <= 50) controller.enqueue(utf8('x'.repeat(4096)));
        else controller.close();
      },
    });
    const res = await put(stream);
    expect(res.status).toBe(413);
    expect(await res.json()).toStrictEqual(apiError('payload_too_large'));
    expect(pulls).toBe(51);
  });

  it('stops draining an endless oversized body after a bounded amount', async () => {
    const chunk = utf8('x'.repeat(64 * 1024));
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await put(stream);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(OVERSIZE_BODY_DRAIN_MAX_BYTES + 1024 * 1024);
  });

  it('accepts a small streamed body without Content-Length', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8('{"streamed":'));
        controller.enqueue(utf8('true}'));
        controller.close();
      },
    });
    const res = await put(stream);
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ streamed: true });
  });

  it('counts the bytes when Content-Length claims less than the body', async () => {
    const body = `{"a":"${'x'.repeat(2000)}"}`;
    const request = new Request(`${ORIGIN}${path}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body,
    });
    const headers = new Headers(request.headers);
    headers.set('Content-Length', '10');
    const lying = new Request(request, { headers });
    expect(lying.headers.get('Content-Length')).toBe('10');
    const res = await dispatch(lying);
    expect(res.status).toBe(413);
  });

  it.each(['abc', '-5', '1e3', ''])('ignores a non-numeric Content-Length %j', async (length) => {
    const res = await put(`{"a":"${'x'.repeat(2000)}"}`, { 'Content-Length': length });
    expect(res.status).toBe(413);
  });
});

describe('entity bodies', () => {
  it.each(invalidJson.slice(0, 12))('refuse %s with 400 invalid_json', async (_name, body) => {
    const res = await call('/api/v1/activities', {
      method: 'POST',
      token,
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(apiError('invalid_json', { hint: expect.any(String) }));
  });

  it('refuse deeply nested test results without a 5xx', async () => {
    const results = `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await call('/api/v1/tests', {
      method: 'POST',
      token,
      body: `{"sport":"running","start":"2026-05-01T08:00:00Z","results":${results}}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(apiError('too_deep'));
  });

  it('keep __proto__ in the body from polluting validation', async () => {
    const res = await call('/api/v1/activities', {
      method: 'POST',
      token,
      body: '{"__proto__":{"sport":"running"},"start":"2026-05-01T08:00:00Z","duration":60}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { sport: expect.any(String) } }),
    );
  });
});
