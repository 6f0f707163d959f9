/** The error contract (spec §9, §11): exact members, request ids, and 500s that leak nothing. */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { call } from '../helpers/worker';

/**
 * A D1 that answers every batch with an active status and one entity row whose JSON column
 * is corrupt: the only way to reach the generic 500 path from outside.
 */
function corruptD1(): D1Database {
  const statement = { bind: () => statement };
  const row = {
    id: 'act_x',
    sport: 'running',
    start: 0,
    end: 60,
    duration: 60,
    distance: null,
    name: 'SECRET-NAME',
    description: '',
    tags: '{corrupt SECRET-TAGS',
    created_at: 0,
    updated_at: 0,
  };
  return {
    prepare: () => statement,
    batch: () =>
      Promise.resolve([{ results: [{ active: 1, gen: 1, app_enabled: 1 }] }, { results: [row] }]),
  } as unknown as D1Database;
}

describe('error bodies', () => {
  it('have exactly error, errorCode, requestId (+ hint/details when set)', async () => {
    const { token } = await userWithApp();
    const cases = [
      await call('/api/v1/activities'),
      await call('/api/v1/activities/act_missing', { token }),
      await call('/api/v1/activities?limit=x', { token }),
      await call('/api/v1/activities', { method: 'POST', token, json: { sport: 'x' } }),
    ];
    for (const res of cases) {
      const body = (await res.json()) as Record<string, unknown>;
      const allowed = ['error', 'errorCode', 'hint', 'details', 'requestId'];
      expect(Object.keys(body).every((key) => allowed.includes(key))).toBe(true);
      expect(body).toMatchObject({
        error: expect.any(String),
        errorCode: expect.stringMatching(/^[a-z_]+$/),
        requestId: expect.any(String),
      });
      expect(body.requestId).not.toBe('');
      expect(res.headers.get('Content-Type')).toContain('application/json');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    }
  });

  it('carry a different requestId per request', async () => {
    const first = (await (await call('/api/v1/activities')).json()) as { requestId: string };
    const second = (await (await call('/api/v1/activities')).json()) as { requestId: string };
    expect(first.requestId).not.toBe(second.requestId);
  });
});

describe('unexpected failures', () => {
  it('answer 500 internal_error with nothing of the cause in the body', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/activities', { token, bindings: { DB: corruptD1() } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toStrictEqual({
      error: expect.any(String),
      errorCode: 'internal_error',
      requestId: expect.any(String),
    });
    for (const leak of ['SECRET', 'SyntaxError', 'JSON', 'at ', 'tags', 'D1']) {
      expect(text).not.toContain(leak);
    }
  });
});
