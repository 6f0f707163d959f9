/** /api/v1/admin: applications and users behind ADMIN_TOKEN (spec §7, §11). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ids';
import { apiError, call } from '../helpers/worker';

const admin = () => env.ADMIN_TOKEN;
const anyString = expect.any(String) as unknown as string;
let sequence = 0;

const appInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Coach app',
  redirect_uris: ['https://coach.example/callback'],
  confidential: true,
  scopes: ['profile', 'data:read'],
  ...overrides,
});

/** POST /api/v1/admin/applications with the admin token and a JSON body. */
const postApp = (json: Record<string, unknown> = appInput()) =>
  call('/api/v1/admin/applications', { method: 'POST', token: admin(), json });

const userInput = (overrides: Record<string, unknown> = {}) => {
  sequence += 1;
  return {
    email: `admin-made-${sequence}-${Date.now()}@example.test`,
    password: 'correct horse battery',
    first_name: 'Ada',
    last_name: 'Lovelace',
    ...overrides,
  };
};

describe('admin authentication', () => {
  it.each([
    ['GET', '/api/v1/admin/applications'],
    ['POST', '/api/v1/admin/applications'],
    ['DELETE', '/api/v1/admin/applications/app_x'],
    ['POST', '/api/v1/admin/users'],
  ])('answers %s %s without a token 401 unauthorized', async (method, path) => {
    const res = await call(path, { method, json: method === 'POST' ? {} : undefined });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('unauthorized'));
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="appmeta"');
  });

  it.each([
    ['a wrong token', 'Bearer wrong-admin-token-0123456789abcdef'],
    ['a one-character token', 'Bearer x'],
    ['Basic auth', `Basic ${btoa('admin:x')}`],
  ])('answers %s 401 invalid_token', async (_name, header) => {
    const res = await call('/api/v1/admin/applications', { headers: { Authorization: header } });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('invalid_token'));
  });

  it('refuses the admin token with one extra character', async () => {
    const res = await call('/api/v1/admin/applications', { token: `${admin()}x` });
    expect(res.status).toBe(401);
  });
});

describe('POST /api/v1/admin/applications', () => {
  it('creates a confidential app: 201, the secret shown once and stored hashed', async () => {
    const res = await postApp();
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { client_id: string; client_secret: string };
    expect(body).toStrictEqual({
      client_id: anyString,
      client_secret: anyString,
      name: 'Coach app',
      redirect_uris: ['https://coach.example/callback'],
      confidential: true,
      scopes: ['profile', 'data:read'],
      rate_limit_tier: 'standard',
      created_at: anyString,
    });
    expect(body.client_secret.length).toBeGreaterThanOrEqual(32);
    const row = await env.DB.prepare(
      'SELECT client_id, name, redirect_uris, confidential, scopes, secret_hash, created_at, disabled_at FROM applications WHERE client_id = ?',
    )
      .bind(body.client_id)
      .first<Record<string, unknown>>();
    expect(row?.secret_hash).toBe(await sha256(body.client_secret));
    expect(JSON.stringify(row)).not.toContain(body.client_secret);
    const list = await (await call('/api/v1/admin/applications', { token: admin() })).text();
    expect(list).not.toContain(body.client_secret);
    expect(list).not.toContain('secret');
  });

  it('creates a public app without a secret', async () => {
    const res = await postApp(
      appInput({ confidential: false, redirect_uris: ['http://127.0.0.1:8080/cb'] }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { client_id: string };
    expect(body).not.toHaveProperty('client_secret');
    const row = await env.DB.prepare('SELECT secret_hash FROM applications WHERE client_id = ?')
      .bind(body.client_id)
      .first<{ secret_hash: string | null }>();
    expect(row?.secret_hash).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty name', { name: '' }, 'name'],
    ['no redirect URIs', { redirect_uris: [] }, 'redirect_uris'],
    ['an http redirect URI', { redirect_uris: ['http://coach.example/cb'] }, 'redirect_uris.0'],
    ['a fragment', { redirect_uris: ['https://coach.example/cb#x'] }, 'redirect_uris.0'],
    ['an unknown scope', { scopes: ['admin'] }, 'scopes.0'],
    ['no scopes', { scopes: [] }, 'scopes'],
    ['a string confidential', { confidential: 'yes' }, 'confidential'],
  ])('refuses %s: 400 validation_error naming the field', async (_name, override, field) => {
    const res = await postApp(appInput(override));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: Record<string, string> };
    expect(body).toStrictEqual(apiError('validation_error', { details: expect.any(Object) }));
    expect(Object.keys(body.details)).toContain(field);
  });

  it('refuses a non-JSON body: 415', async () => {
    const res = await call('/api/v1/admin/applications', {
      method: 'POST',
      token: admin(),
      body: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });
});

describe('GET and DELETE /api/v1/admin/applications', () => {
  it('lists applications without secrets', async () => {
    const created = await postApp(appInput({ name: 'Listed app' }));
    const { client_id } = (await created.json()) as { client_id: string };
    const res = await call('/api/v1/admin/applications', { token: admin() });
    expect(res.status).toBe(200);
    const list = (await res.json()) as Array<Record<string, unknown>>;
    expect(list.find((app) => app.client_id === client_id)).toStrictEqual({
      client_id,
      name: 'Listed app',
      redirect_uris: ['https://coach.example/callback'],
      confidential: true,
      scopes: ['profile', 'data:read'],
      rate_limit_tier: 'standard',
      created_at: anyString,
      disabled_at: null,
    });
  });

  it('disables an application: 204, then listed with disabled_at', async () => {
    const created = await postApp();
    const { client_id } = (await created.json()) as { client_id: string };
    const res = await call(`/api/v1/admin/applications/${client_id}`, {
      method: 'DELETE',
      token: admin(),
    });
    expect(res.status).toBe(204);
    const list = (await (
      await call('/api/v1/admin/applications', { token: admin() })
    ).json()) as Array<{ client_id: string; disabled_at: string | null }>;
    expect(list.find((app) => app.client_id === client_id)?.disabled_at).toEqual(anyString);
  });

  it.each(['app_unknown', 'not%20an%20id'])('answers 404 for the unknown %s', async (id) => {
    const res = await call(`/api/v1/admin/applications/${id}`, {
      method: 'DELETE',
      token: admin(),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });
});

describe('POST /api/v1/admin/users', () => {
  it('creates a user: 201 with the profile shape', async () => {
    const input = userInput();
    const res = await call('/api/v1/admin/users', { method: 'POST', token: admin(), json: input });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({
      id: anyString,
      email: input.email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      display_name: 'Ada Lovelace',
      registered_at: anyString,
    });
  });

  it('stores a PBKDF2 hash, never the password', async () => {
    const input = userInput();
    const res = await call('/api/v1/admin/users', { method: 'POST', token: admin(), json: input });
    const { id } = (await res.json()) as { id: string };
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?')
      .bind(id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row?.password_hash).not.toContain(input.password);
  });

  it('defaults last_name to empty', async () => {
    const input = userInput({ last_name: undefined });
    const res = await call('/api/v1/admin/users', { method: 'POST', token: admin(), json: input });
    expect(await res.json()).toMatchObject({ last_name: '', display_name: 'Ada' });
  });

  it('refuses a duplicate email, case-insensitively: 409 conflict', async () => {
    const input = userInput();
    await call('/api/v1/admin/users', { method: 'POST', token: admin(), json: input });
    const res = await call('/api/v1/admin/users', {
      method: 'POST',
      token: admin(),
      json: { ...input, email: input.email.toUpperCase() },
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toStrictEqual(apiError('conflict'));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['a missing first name', { first_name: undefined }, 'first_name'],
    ['a blank first name', { first_name: '   ' }, 'first_name'],
  ])('refuses %s: 400 validation_error naming the field', async (_name, override, field) => {
    const res = await call('/api/v1/admin/users', {
      method: 'POST',
      token: admin(),
      json: userInput(override),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: Record<string, string> };
    expect(Object.keys(body.details)).toContain(field);
  });
});
