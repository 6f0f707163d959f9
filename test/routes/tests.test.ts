/** /api/v1/tests: lab or field tests, default duration and free-form results (spec §8). */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { createEntity, sampleBodies } from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

const sample = sampleBodies.tests;
const anyString = expect.any(String) as unknown as string;

describe('tests', () => {
  it('creates a test: 201, end defaulting to start + 3 h', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/tests', { method: 'POST', token, json: sample });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body).toStrictEqual({
      id: anyString,
      sport: 'cycling',
      start: '2026-05-01T08:00:00Z',
      end: '2026-05-01T11:00:00Z',
      title: 'Ramp test',
      results: { ftp: 300 },
      tags: ['ftp'],
    });
    expect(res.headers.get('Location')).toBe(`/api/v1/tests/${body.id}`);
  });

  it('keeps an explicit end', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'tests', { end: '2026-05-01T08:45:00Z' });
    expect(created.end).toBe('2026-05-01T08:45:00Z');
  });

  it('stores results with __proto__ members as data', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/tests', {
      method: 'POST',
      token,
      body: JSON.stringify(sample).replace('{"ftp":300}', '{"__proto__":{"x":1},"ftp":300}'),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).toContain('"results":{"__proto__":{"x":1},"ftp":300}');
  });

  it('leaves out title and results when they are not set', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'tests', { title: undefined, results: undefined });
    expect(created).toStrictEqual({
      id: anyString,
      sport: 'cycling',
      start: '2026-05-01T08:00:00Z',
      end: '2026-05-01T11:00:00Z',
      tags: ['ftp'],
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing sport', { sport: undefined }, 'sport'],
    ['a missing start', { start: undefined }, 'start'],
    ['end before start', { end: '2026-05-01T07:00:00Z' }, 'end'],
    ['array results', { results: [1, 2] }, 'results'],
    ['string results', { results: 'fast' }, 'results'],
    ['a too long title', { title: 't'.repeat(201) }, 'title'],
  ])('refuses %s: 400 validation_error naming the field', async (_name, override, field) => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/tests', {
      method: 'POST',
      token,
      json: { ...sample, ...override },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: Record<string, string> };
    expect(body).toStrictEqual(apiError('validation_error', { details: expect.any(Object) }));
    expect(Object.keys(body.details)).toContain(field);
  });

  it('reads, replaces and deletes a test', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'tests');
    const path = `/api/v1/tests/${created.id}`;
    expect(await (await call(path, { token })).json()).toStrictEqual(created);
    const replaced = await call(path, {
      method: 'PUT',
      token,
      json: { sport: 'running.track', start: '2026-05-04T08:00:00Z' },
    });
    expect(await replaced.json()).toStrictEqual({
      id: created.id,
      sport: 'running.track',
      start: '2026-05-04T08:00:00Z',
      end: '2026-05-04T11:00:00Z',
      tags: [],
    });
    expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(path, { token })).status).toBe(404);
  });
});
