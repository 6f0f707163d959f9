/** /api/v1/tests: lab or field tests, default duration and free-form results (spec §8). */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { createEntity, sampleBodies } from '../helpers/entities';
import {
  anyString,
  expectReadReplaceDelete,
  expectSampleCreated,
  itRefusesInvalidFields,
  syncFields,
} from '../helpers/entity-cases';
import { call } from '../helpers/worker';

const sample = sampleBodies.tests;

describe('tests', () => {
  it('creates a test: 201, end defaulting to start + 3 h', async () => {
    await expectSampleCreated('tests', {
      sport: 'cycling',
      start: '2026-05-01T08:00:00Z',
      end: '2026-05-01T11:00:00Z',
      title: 'Ramp test',
      results: { ftp: 300 },
      tags: ['ftp'],
      ...syncFields,
    });
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
      ...syncFields,
    });
  });

  itRefusesInvalidFields('tests', [
    ['a missing sport', { sport: undefined }, 'sport'],
    ['a missing start', { start: undefined }, 'start'],
    ['end before start', { end: '2026-05-01T07:00:00Z' }, 'end'],
    ['array results', { results: [1, 2] }, 'results'],
    ['string results', { results: 'fast' }, 'results'],
    ['a too long title', { title: 't'.repeat(201) }, 'title'],
  ]);

  it('reads, replaces and deletes a test', async () => {
    await expectReadReplaceDelete(
      'tests',
      { sport: 'running.track', start: '2026-05-04T08:00:00Z' },
      {
        sport: 'running.track',
        start: '2026-05-04T08:00:00Z',
        end: '2026-05-04T11:00:00Z',
        tags: [],
        ...syncFields,
      },
    );
  });
});
