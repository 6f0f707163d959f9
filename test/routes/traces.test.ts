/** /api/v1/traces: point measurements, optional fields and their bounds (spec §8). */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { createEntity, sampleBodies } from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

const sample = sampleBodies.traces;
const anyString = expect.any(String) as unknown as string;

describe('traces', () => {
  it('creates a trace: 201 with every field and its Location', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/traces', { method: 'POST', token, json: sample });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body).toStrictEqual({
      id: anyString,
      timestamp: '2026-05-01T08:30:00Z',
      sport: 'running',
      lactate: 2.1,
      rpe: 5,
      power: 250,
      speed: 4.2,
      heart_rate: 150,
      notes: 'steady',
      tags: ['lab'],
    });
    expect(res.headers.get('Location')).toBe(`/api/v1/traces/${body.id}`);
  });

  it('creates a trace from a timestamp alone, leaving the optional fields out', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/traces', {
      method: 'POST',
      token,
      json: { timestamp: '2026-05-01T08:30:00Z' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({
      id: anyString,
      timestamp: '2026-05-01T08:30:00Z',
      tags: [],
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing timestamp', { timestamp: undefined }, 'timestamp'],
    ['rpe 0', { rpe: 0 }, 'rpe'],
    ['rpe 11', { rpe: 11 }, 'rpe'],
    ['a fractional rpe', { rpe: 5.5 }, 'rpe'],
    ['a negative lactate', { lactate: -0.1 }, 'lactate'],
    ['a string power', { power: '250' }, 'power'],
    ['a negative speed', { speed: -1 }, 'speed'],
    ['a fractional heart rate', { heart_rate: 150.5 }, 'heart_rate'],
    ['an unknown sport', { sport: 'quidditch' }, 'sport'],
    ['numeric notes', { notes: 5 }, 'notes'],
  ])('refuses %s: 400 validation_error naming the field', async (_name, override, field) => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/traces', {
      method: 'POST',
      token,
      json: { ...sample, ...override },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: Record<string, string> };
    expect(body).toStrictEqual(apiError('validation_error', { details: expect.any(Object) }));
    expect(Object.keys(body.details)).toContain(field);
  });

  it('names every invalid field at once', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/traces', {
      method: 'POST',
      token,
      json: { timestamp: 'x', rpe: 99 },
    });
    const body = (await res.json()) as { details: Record<string, string> };
    expect(Object.keys(body.details).sort()).toStrictEqual(['rpe', 'timestamp']);
  });

  it('reads, replaces and deletes a trace', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'traces');
    const path = `/api/v1/traces/${created.id}`;
    expect(await (await call(path, { token })).json()).toStrictEqual(created);
    const replaced = await call(path, {
      method: 'PUT',
      token,
      json: { timestamp: '2026-05-03T08:00:00Z', rpe: 9 },
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toStrictEqual({
      id: created.id,
      timestamp: '2026-05-03T08:00:00Z',
      rpe: 9,
      tags: [],
    });
    expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(path, { token })).status).toBe(404);
  });
});
