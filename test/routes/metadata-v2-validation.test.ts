/** /api/v2/metadata/{key}: key, value and expires_at validation, media type and body limits. */
import { beforeAll, describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const BASE = '/api/v2/metadata';
let token: string;

beforeAll(async () => {
  ({ token } = await userWithApp());
});

const keyError = apiError('validation_error', {
  hint: expect.any(String),
  details: { key: expect.any(String) },
});

function fieldError(field: string) {
  return apiError('validation_error', { details: { [field]: expect.any(String) } });
}

describe('keys outside [a-zA-Z0-9._-]{1,128}', () => {
  const badKeys: Array<[string, string]> = [
    ['an encoded slash', 'a%2Fb'],
    ['a lower-case encoded slash', 'a%2fb'],
    ['a raw slash', 'a/b'],
    ['a trailing slash after the key', 'a/'],
    ['an empty key', ''],
    ['an encoded space', 'a%20b'],
    ['an encoded non-ASCII letter', '%C3%A9t%C3%A9'],
    ['a colon', 'a:b'],
    ['a plus sign', 'a+b'],
    ['a tilde', 'a~b'],
    ['an encoded NUL', 'a%00b'],
    ['an encoded percent sign', 'a%25b'],
    ['an encoded question mark', 'a%3Fb'],
    ['an invalid escape', 'a%ZZb'],
    ['an escape of invalid UTF-8', 'a%FFb'],
    ['a truncated escape', 'a%4'],
    ['129 characters', 'k'.repeat(129)],
    ['129 characters, one of them encoded', `${'k'.repeat(128)}%41`],
  ];
  const methods: Array<[string, unknown]> = [
    ['GET', undefined],
    ['PUT', { value: 'v' }],
    ['DELETE', undefined],
  ];
  const cases = badKeys.flatMap(([name, key]) =>
    methods.map(([method, json]) => ({ name, key, method, json })),
  );

  it.each(cases)('$method with $name is 422 validation_error naming key', async (c) => {
    const res = await call(`${BASE}/${c.key}`, { method: c.method, token, json: c.json });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(keyError);
  });

  it('refuses a bad key before reading the body', async () => {
    const res = await call(`${BASE}/a%2Fb`, {
      method: 'PUT',
      token,
      body: 'not json',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(res.status).toBe(422);
  });
});

describe('keys inside the pattern', () => {
  it.each([
    ['every allowed character class', 'Az09._-'],
    ['128 characters', 'k'.repeat(128)],
    ['a leading dot', '.hidden'],
    ['dots and dashes only', '-.-'],
  ])('accepts %s and round-trips it', async (_name, key) => {
    const put = await call(`${BASE}/${key}`, { method: 'PUT', token, json: { value: 'v' } });
    expect(put.status).toBe(201);
    expect(await put.json()).toStrictEqual({ key, value: 'v', expires_at: null });
    const get = await call(`${BASE}/${key}`, { token });
    expect(await get.json()).toStrictEqual({ key, value: 'v', expires_at: null });
  });

  it('decodes percent-encoded allowed characters to the same key', async () => {
    await call(`${BASE}/encoded-key`, { method: 'PUT', token, json: { value: 'v' } });
    const get = await call(`${BASE}/%65ncoded%2Dkey`, { token });
    expect(await get.json()).toStrictEqual({ key: 'encoded-key', value: 'v', expires_at: null });
  });
});

describe('value', () => {
  const emoji = '\u{1F600}';

  it('accepts 65535 four-byte characters and returns them exactly', async () => {
    const value = emoji.repeat(65535);
    const put = await call(`${BASE}/wide`, { method: 'PUT', token, json: { value } });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { value: string }).value === value).toBe(true);
    const get = await call(`${BASE}/wide`, { token });
    expect(((await get.json()) as { value: string }).value === value).toBe(true);
  });

  it('accepts 65535 characters sent as escaped surrogate pairs (the largest body)', async () => {
    const body = `{"value":"${'\\ud83d\\ude00'.repeat(65535)}"}`;
    const res = await call(`${BASE}/escaped`, {
      method: 'PUT',
      token,
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { value: string }).value === emoji.repeat(65535)).toBe(true);
  });

  it.each([
    ['65536 four-byte characters', emoji.repeat(65536)],
    ['65536 two-byte characters', 'é'.repeat(65536)],
    ['65536 ASCII characters', 'a'.repeat(65536)],
  ])('refuses %s with 422 naming value', async (_name, value) => {
    const res = await call(`${BASE}/too-long`, { method: 'PUT', token, json: { value } });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(fieldError('value'));
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['line and paragraph separators', '\u2028\u2029'],
    ['a combining accent', 'e\u0301'],
    ['a leading byte order mark', '\uFEFFbom'],
    ['JSON escapes', '"\\/\n\t'],
    ['HTML', '<script>alert(1)</script>'],
  ])('stores a value with %s and returns it exactly', async (_name, value) => {
    await call(`${BASE}/exotic`, { method: 'PUT', token, json: { value } });
    const get = await call(`${BASE}/exotic`, { token });
    expect(await get.json()).toStrictEqual({ key: 'exotic', value, expires_at: null });
  });

  it('accepts 65535 ASCII characters', async () => {
    const res = await call(`${BASE}/ascii`, {
      method: 'PUT',
      token,
      json: { value: 'a'.repeat(65535) },
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ['missing', {}],
    ['null', { value: null }],
    ['a number', { value: 42 }],
    ['an object', { value: { a: 1 } }],
    ['an array', { value: ['a'] }],
    ['a boolean', { value: true }],
  ])('refuses a value that is %s with 422 naming value', async (_name, json) => {
    const res = await call(`${BASE}/typed`, { method: 'PUT', token, json });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(fieldError('value'));
  });
});

describe('expires_at', () => {
  async function expectExpiryRefused(expires: unknown) {
    const res = await call(`${BASE}/expiring`, {
      method: 'PUT',
      token,
      json: { value: 'v', expires_at: expires },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(fieldError('expires_at'));
  }

  it.each([
    ['in the past', '2020-01-01T00:00:00Z'],
    ['now, to the second', null],
    ['without an offset', '2099-01-01T00:00:00'],
    ['a bare date', '2099-01-01'],
    ['not a real date', '2099-02-30T00:00:00Z'],
    ['free text', 'tomorrow'],
    ['empty', ''],
  ])('refuses expires_at %s with 422 naming expires_at', async (_name, given) => {
    await expectExpiryRefused(given ?? new Date().toISOString());
  });

  it.each([
    ['a number', 4102444800],
    ['an object', {}],
    ['a boolean', true],
  ])('refuses expires_at that is %s with 422 naming expires_at', async (_name, expires) => {
    await expectExpiryRefused(expires);
  });

  it('writes nothing when the expiry is refused', async () => {
    await call(`${BASE}/refused`, {
      method: 'PUT',
      token,
      json: { value: 'v', expires_at: '2020-01-01T00:00:00Z' },
    });
    expect((await call(`${BASE}/refused`, { token })).status).toBe(404);
  });
});

describe('request body', () => {
  const raw = (body: string, contentType?: string) =>
    call(`${BASE}/body`, {
      method: 'PUT',
      token,
      body,
      headers: contentType ? { 'Content-Type': contentType } : {},
    });

  it.each([
    ['text/plain', 'text/plain'],
    ['no Content-Type', undefined],
    ['application/merge-patch+json', 'application/merge-patch+json'],
  ])('answers 415 unsupported_media_type for %s', async (_name, type) => {
    const res = await raw('{"value":"v"}', type);
    expect(res.status).toBe(415);
    expect(await res.json()).toStrictEqual(
      apiError('unsupported_media_type', { hint: expect.any(String) }),
    );
  });

  it('accepts application/json with a charset parameter', async () => {
    expect((await raw('{"value":"v"}', 'application/json; charset=utf-8')).status).toBe(201);
  });

  /** PUTs `body` as application/json and expects the refusal `status` with exactly `error`. */
  async function expectRefused(body: string, status: number, error: unknown) {
    const res = await raw(body, 'application/json');
    expect(res.status).toBe(status);
    expect(await res.json()).toStrictEqual(error);
  }

  it.each([
    ['malformed JSON', '{"value":'],
    ['duplicate members', '{"value":"a","value":"b"}'],
    ['a lone surrogate', '{"value":"\\ud800"}'],
  ])('answers 400 invalid_json for %s', async (_name, body) => {
    await expectRefused(body, 400, apiError('invalid_json', { hint: expect.any(String) }));
  });

  it.each([
    ['an array', '["v"]'],
    ['a string', '"v"'],
    ['null', 'null'],
  ])('answers 422 validation_error when the body is %s', async (_name, body) => {
    await expectRefused(body, 422, fieldError('(body)'));
  });

  it('answers 413 payload_too_large for a body over the limit', async () => {
    const res = await raw(
      `{"value":"v","pad":"${'x'.repeat(65535 * 12 + 4096)}"}`,
      'application/json',
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toStrictEqual(apiError('payload_too_large'));
  });

  it('answers 422 too_deep for a deeply nested ignored member', async () => {
    const res = await raw(
      `{"value":"v","x":${'['.repeat(10)}${']'.repeat(10)}}`,
      'application/json',
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(apiError('too_deep'));
  });
});
