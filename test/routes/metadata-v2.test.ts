/** /api/v2/metadata: list, show, upsert 201/200, delete, expiry accepted/cleared, one round trip. */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { apiError, call, serverTiming } from '../helpers/worker';

const BASE = '/api/v2/metadata';
const inOneHour = () => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function put(token: string, key: string, json: unknown) {
  return call(`${BASE}/${key}`, { method: 'PUT', token, json });
}

describe('GET /api/v2/metadata', () => {
  it('answers an empty list when the application stores nothing', async () => {
    const { token } = await userWithApp();
    const res = await call(BASE, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ data: [] });
  });

  it('lists every live entry ordered by key', async () => {
    const { token } = await userWithApp();
    const expires = inOneHour();
    await put(token, 'zeta', { value: 'last' });
    await put(token, 'alpha', { value: 'first', expires_at: expires });
    const res = await call(BASE, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({
      data: [
        { key: 'alpha', value: 'first', expires_at: expires },
        { key: 'zeta', value: 'last', expires_at: null },
      ],
    });
  });

  it('reads from D1 in one round trip with the cache bypassed', async () => {
    const { token } = await userWithApp();
    const res = await call(BASE, { token });
    expect(serverTiming(res)).toStrictEqual({ cache: 'bypass', d1: 1 });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('GET /api/v2/metadata/{key}', () => {
  it('returns the entry', async () => {
    const { token } = await userWithApp();
    await put(token, 'plan', { value: 'week-3' });
    const res = await call(`${BASE}/plan`, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ key: 'plan', value: 'week-3', expires_at: null });
    expect(serverTiming(res)).toStrictEqual({ cache: 'bypass', d1: 1 });
  });

  it('answers 404 not_found for a missing key', async () => {
    const { token } = await userWithApp();
    const res = await call(`${BASE}/nothing-here`, { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });
});

describe('PUT /api/v2/metadata/{key}', () => {
  it('answers 201 with the stored entry when it creates the key', async () => {
    const { token } = await userWithApp();
    const res = await put(token, 'plan', { value: 'week-1' });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({ key: 'plan', value: 'week-1', expires_at: null });
    expect(serverTiming(res).d1).toBe(1);
  });

  it('answers 200 with the stored entry when it updates the key', async () => {
    const { token } = await userWithApp();
    await put(token, 'plan', { value: 'week-1' });
    const res = await put(token, 'plan', { value: 'week-2' });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ key: 'plan', value: 'week-2', expires_at: null });
    const read = await call(`${BASE}/plan`, { token });
    expect(await read.json()).toStrictEqual({ key: 'plan', value: 'week-2', expires_at: null });
  });

  it('accepts a future expires_at and returns it as ISO-8601 UTC', async () => {
    const { token } = await userWithApp();
    const res = await put(token, 'session', {
      value: 'x',
      expires_at: '2099-01-01T12:00:00+02:00',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({
      key: 'session',
      value: 'x',
      expires_at: '2099-01-01T10:00:00Z',
    });
  });

  it('clears an existing expiry when expires_at is omitted', async () => {
    const { token } = await userWithApp();
    await put(token, 'session', { value: 'x', expires_at: inOneHour() });
    const res = await put(token, 'session', { value: 'y' });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ key: 'session', value: 'y', expires_at: null });
  });

  it('clears an existing expiry when expires_at is null', async () => {
    const { token } = await userWithApp();
    await put(token, 'session', { value: 'x', expires_at: inOneHour() });
    const res = await put(token, 'session', { value: 'y', expires_at: null });
    expect(await res.json()).toStrictEqual({ key: 'session', value: 'y', expires_at: null });
  });

  it('ignores unknown body members', async () => {
    const { token } = await userWithApp();
    const res = await put(token, 'k', { value: 'v', key: 'other', user_id: 'someone', extra: {} });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({ key: 'k', value: 'v', expires_at: null });
  });

  it('stores an empty string value', async () => {
    const { token } = await userWithApp();
    const res = await put(token, 'empty', { value: '' });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({ key: 'empty', value: '', expires_at: null });
  });

  it('answers exactly one 201 and one 200 to two simultaneous first writes of a key', async () => {
    const { token } = await userWithApp();
    const responses = await Promise.all([
      put(token, 'race', { value: 'a' }),
      put(token, 'race', { value: 'b' }),
    ]);
    expect(responses.map((r) => r.status).sort()).toStrictEqual([200, 201]);
    const read = await call(`${BASE}/race`, { token });
    expect(['a', 'b']).toContain(((await read.json()) as { value: string }).value);
  });

  it('answers one 201 among many simultaneous first writes of a key', async () => {
    const { token } = await userWithApp();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => put(token, 'crowd', { value: String(i) })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
  });
});

describe('DELETE /api/v2/metadata/{key}', () => {
  it('answers 204 and the key is gone', async () => {
    const { token } = await userWithApp();
    await put(token, 'plan', { value: 'x' });
    const res = await call(`${BASE}/plan`, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(serverTiming(res).d1).toBe(1);
    expect((await call(`${BASE}/plan`, { token })).status).toBe(404);
    expect(await (await call(BASE, { token })).json()).toStrictEqual({ data: [] });
  });

  it('answers 404 not_found when the key does not exist', async () => {
    const { token } = await userWithApp();
    const res = await call(`${BASE}/never`, { method: 'DELETE', token });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('creates the key again with 201 after a delete', async () => {
    const { token } = await userWithApp();
    await put(token, 'again', { value: 'x' });
    await call(`${BASE}/again`, { method: 'DELETE', token });
    expect((await put(token, 'again', { value: 'y' })).status).toBe(201);
  });
});
