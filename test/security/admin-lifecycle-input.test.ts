/**
 * Issue 11 item 9: hostile input to the lifecycle endpoints. Unknown fields, wrong types, huge
 * lists, bad tiers and scopes no application may hold are a clear 4xx naming the field, never
 * a 5xx, and nothing is half-written: the stored row is unchanged after every refusal.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { applicationPath, applicationRow, patchApp } from '../helpers/admin-applications';
import { createApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const uris = (count: number) =>
  Array.from({ length: count }, (_, i) => `https://c${i}.example.test/cb`);

/** Sends `send` to a fresh app; expects the refusal and an unchanged row. */
async function expectRefused(
  send: (clientId: string) => Promise<Response>,
  status: number,
  body: Record<string, unknown>,
) {
  const app = await createApp();
  const before = await applicationRow(app.clientId);
  const res = await send(app.clientId);
  expect(res.status).toBe(status);
  expect(await res.json()).toStrictEqual(body);
  expect(await applicationRow(app.clientId)).toStrictEqual(before);
}

const invalid = (field: string, message?: string) =>
  apiError('validation_error', { details: { [field]: message ?? expect.any(String) } });

describe('PATCH refuses what it does not understand: 400 validation_error naming the field', () => {
  it.each<[string, unknown, string]>([
    ['an unknown field', { nickname: 'x' }, 'nickname'],
    ['a client_secret', { name: 'Valid', client_secret: 'mine' }, 'client_secret'],
    ['a client_id', { client_id: 'app_other' }, 'client_id'],
    ['confidential (not changeable)', { confidential: false }, 'confidential'],
    ['disabled_at', { disabled_at: null }, 'disabled_at'],
    ['__proto__ as a member', JSON.parse('{"__proto__": {"name": "x"}}'), '__proto__'],
  ])('%s', async (_name, json, field) => {
    await expectRefused((id) => patchApp(id, json), 400, invalid(field, 'unknown field'));
  });

  it.each<[string, unknown, string]>([
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a numeric name', { name: 5 }, 'name'],
    ['a null name', { name: null }, 'name'],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'name'],
    ['redirect_uris as a string', { redirect_uris: 'https://a.example/cb' }, 'redirect_uris'],
    ['no redirect URIs', { redirect_uris: [] }, 'redirect_uris'],
    ['21 redirect URIs', { redirect_uris: uris(21) }, 'redirect_uris'],
    ['300 redirect URIs', { redirect_uris: uris(300) }, 'redirect_uris'],
    ['an http redirect URI', { redirect_uris: ['http://evil.example/cb'] }, 'redirect_uris.0'],
    ['a javascript: URI', { redirect_uris: ['javascript:alert(1)'] }, 'redirect_uris.0'],
    ['a fragment', { redirect_uris: ['https://a.example/cb#x'] }, 'redirect_uris.0'],
    ['a numeric URI', { redirect_uris: [42] }, 'redirect_uris.0'],
    ['scopes as a string', { scopes: 'profile' }, 'scopes'],
    ['no scopes', { scopes: [] }, 'scopes'],
    ['the account scope', { scopes: ['profile', 'account'] }, 'scopes.1'],
    ['an unknown scope', { scopes: ['admin'] }, 'scopes.0'],
    ['a numeric scope', { scopes: [1] }, 'scopes.0'],
    ['17 scopes', { scopes: Array(17).fill('profile') }, 'scopes'],
    ['enabled as a string', { enabled: 'false' }, 'enabled'],
    ['enabled as a number', { enabled: 0 }, 'enabled'],
    ['an unknown tier', { rate_limit_tier: 'infinite' }, 'rate_limit_tier'],
    ['an upper-case tier', { rate_limit_tier: 'HIGH' }, 'rate_limit_tier'],
    ['a null tier', { rate_limit_tier: null }, 'rate_limit_tier'],
    ['an array body', [], '(body)'],
    ['a null body', null, '(body)'],
    ['a string body', 'name', '(body)'],
  ])('%s', async (_name, json, field) => {
    await expectRefused((id) => patchApp(id, json), 400, invalid(field));
  });

  it('applies nothing of a body with one bad member, a disable included', async () => {
    const json = { name: 'Half', enabled: false, scopes: ['profile'], rate_limit_tier: 'x' };
    await expectRefused((id) => patchApp(id, json), 400, invalid('rate_limit_tier'));
  });
});

describe('PATCH refuses malformed bodies', () => {
  const raw = (body: string, contentType: string) => (id: string) =>
    call(applicationPath(id), {
      method: 'PATCH',
      body,
      headers: { 'Content-Type': contentType, Authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
  const JSON_TYPE = 'application/json';
  const hint = { hint: expect.any(String) as unknown as string };

  it.each<[string, string, string, number, Record<string, unknown>]>([
    [
      '1000 redirect URIs',
      JSON.stringify({ redirect_uris: uris(1000) }),
      JSON_TYPE,
      413,
      apiError('payload_too_large'),
    ],
    [
      'a 1 MB name',
      JSON.stringify({ name: 'x'.repeat(1 << 20) }),
      JSON_TYPE,
      413,
      apiError('payload_too_large'),
    ],
    ['malformed JSON', '{"name": ', JSON_TYPE, 400, apiError('invalid_json', hint)],
    [
      'duplicate members',
      '{"name": "a", "name": "b"}',
      JSON_TYPE,
      400,
      apiError('invalid_json', hint),
    ],
    ['an empty body', '', JSON_TYPE, 400, apiError('invalid_json', hint)],
    ['deep nesting', '{"scopes": [[[["profile"]]]]}', JSON_TYPE, 422, apiError('too_deep')],
    [
      'a form body',
      'name=x',
      'application/x-www-form-urlencoded',
      415,
      apiError('unsupported_media_type', hint),
    ],
  ])('%s: %i', async (_name, body, contentType, status, expected) => {
    await expectRefused(raw(body, contentType), status, expected);
  });
});

describe('the lifecycle endpoints need the admin token', () => {
  it.each([
    ['PATCH', ''],
    ['POST', '/secret'],
    ['DELETE', '?purge=true'],
  ])('%s answers 401 without it, changing nothing', async (method, suffix) => {
    await expectRefused(
      (id) =>
        call(`${applicationPath(id)}${suffix}`, {
          method,
          json: method === 'PATCH' ? {} : undefined,
        }),
      401,
      apiError('unauthorized'),
    );
  });
});
