/**
 * Cases every entity kind shares (spec §8): creating the sample, the table of invalid fields,
 * and the read → replace → delete round trip. Each kind's test file calls these with its own
 * expected bodies and tables, so the HTTP steps and assertions are written once.
 */
import { expect, it } from 'vitest';
import { userWithApp } from './factories';
import { createEntity, sampleBodies, type Kind } from './entities';
import { apiError, call } from './worker';

/** An invalid field: the case's name, the override of the sample body, the field named. */
export type FieldCase = [string, Record<string, unknown>, string];

export const anyString = expect.any(String) as unknown as string;

/** spec §14: the sync fields of an entity created with an application's token. */
export const syncFields = { created_at: anyString, updated_at: anyString, created_by: anyString };

/** POSTs the kind's sample body and asserts 201, the exact entity and its Location. */
export async function expectSampleCreated(
  kind: Kind,
  expected: Record<string, unknown>,
): Promise<Response> {
  const { token } = await userWithApp();
  const res = await call(`/api/v1/${kind}`, { method: 'POST', token, json: sampleBodies[kind] });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string };
  expect(body).toStrictEqual({ id: anyString, ...expected });
  expect(res.headers.get('Location')).toBe(`/api/v1/${kind}/${body.id}`);
  return res;
}

/** One `it` per row: POST the sample with the override, 400 validation_error naming the field. */
export function itRefusesInvalidFields(kind: Kind, cases: FieldCase[]): void {
  it.each<FieldCase>(cases)(
    'refuses %s: 400 validation_error naming the field',
    async (_name, override, field) => {
      const { token } = await userWithApp();
      const res = await call(`/api/v1/${kind}`, {
        method: 'POST',
        token,
        json: { ...sampleBodies[kind], ...override },
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { details: Record<string, string> };
      expect(body).toStrictEqual(apiError('validation_error', { details: expect.any(Object) }));
      expect(Object.keys(body.details)).toContain(field);
    },
  );
}

/**
 * Creates the sample, reads it back unchanged, replaces it with `replacement` (200 and exactly
 * `expected` plus the id), deletes it (204) and finds it gone (404).
 */
export async function expectReadReplaceDelete(
  kind: Kind,
  replacement: Record<string, unknown>,
  expected: Record<string, unknown>,
): Promise<void> {
  const { token } = await userWithApp();
  const created = await createEntity(token, kind);
  const path = `/api/v1/${kind}/${created.id}`;
  expect(await (await call(path, { token })).json()).toStrictEqual(created);
  const replaced = await call(path, { method: 'PUT', token, json: replacement });
  expect(replaced.status).toBe(200);
  expect(await replaced.json()).toStrictEqual({ id: created.id, ...expected });
  expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
  expect((await call(path, { token })).status).toBe(404);
}
