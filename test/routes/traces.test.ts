/** /api/v1/traces: point measurements, optional fields and their bounds (spec §8). */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { sampleBodies } from '../helpers/entities';
import {
  anyString,
  expectReadReplaceDelete,
  expectSampleCreated,
  itRefusesInvalidFields,
  syncFields,
} from '../helpers/entity-cases';
import { call } from '../helpers/worker';

describe('traces', () => {
  it('creates a trace: 201 with every field and its Location', async () => {
    // The sample sets every optional field, so the entity is the sample plus its id.
    await expectSampleCreated('traces', { ...sampleBodies.traces, ...syncFields });
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
      ...syncFields,
    });
  });

  itRefusesInvalidFields('traces', [
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
  ]);

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
    await expectReadReplaceDelete(
      'traces',
      { timestamp: '2026-05-03T08:00:00Z', rpe: 9 },
      { timestamp: '2026-05-03T08:00:00Z', rpe: 9, tags: [], ...syncFields },
    );
  });
});
