/** Entity lists: newest first, start/end, sports, tags, limit, offset (spec §8, §11). */
import { beforeAll, describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { createEntity, type Kind } from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

let token: string;
const ids: Record<string, string> = {};

const activity = (name: string, sport: string, start: string, tags: string[] = []) => ({
  name,
  sport,
  start,
  end: undefined,
  duration: 600,
  tags,
});

beforeAll(async () => {
  ({ token } = await userWithApp());
  const rows = [
    activity('a', 'cycling', '2026-04-30T23:59:59Z', ['x']),
    activity('b', 'cycling.road', '2026-05-01T00:00:00Z', ['y']),
    activity('c', 'running', '2026-05-01T12:00:00Z', ['x', 'z']),
    activity('d', 'cycling.gravel', '2026-05-01T23:59:59Z'),
    activity('e', 'cross_country_skiing', '2026-05-02T00:00:00Z', ['y']),
    activity('f', 'cross_country_skiing.classic', '2026-05-03T00:00:00Z'),
  ];
  for (const row of rows) ids[row.name] = (await createEntity(token, 'activities', row)).id;
});

/** The `field` of every entity of `kind` the query lists, in order (200 asserted). */
async function listed(kind: Kind, query: string, field: string, as = token): Promise<unknown[]> {
  const res = await call(`/api/v1/${kind}${query}`, { token: as });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Array<Record<string, unknown>>;
  return body.map((item) => item[field]);
}

/** The names of the shared user's activities the query lists, in order. */
const names = (query: string) => listed('activities', query, 'name');

describe('GET /api/v1/activities', () => {
  it('answers a bare array, newest first by start', async () => {
    expect(await names('')).toStrictEqual(['f', 'e', 'd', 'c', 'b', 'a']);
  });

  it('answers an empty array for a user with nothing', async () => {
    const other = await userWithApp();
    const res = await call('/api/v1/activities', { token: other.token });
    expect(await res.json()).toStrictEqual([]);
  });

  it('takes a bare start date as the start of its UTC day', async () => {
    expect(await names('?start=2026-05-01')).toStrictEqual(['f', 'e', 'd', 'c', 'b']);
  });

  it('takes a bare end date as covering its whole UTC day', async () => {
    expect(await names('?end=2026-05-01')).toStrictEqual(['d', 'c', 'b', 'a']);
  });

  it('selects one day with start and end both the same date', async () => {
    expect(await names('?start=2026-05-01&end=2026-05-01')).toStrictEqual(['d', 'c', 'b']);
  });

  it('includes both bounds of a date-time range', async () => {
    const query = '?start=2026-05-01T12:00:00Z&end=2026-05-02T00:00:00Z';
    expect(await names(query)).toStrictEqual(['e', 'd', 'c']);
  });

  it('reads date-time bounds with offsets', async () => {
    expect(await names('?end=2026-05-01T02:00:00%2B02:00')).toStrictEqual(['b', 'a']);
  });

  it('includes sub-sports for sports=cycling', async () => {
    expect(await names('?sports=cycling')).toStrictEqual(['d', 'b', 'a']);
  });

  it('matches a sub-sport exactly', async () => {
    expect(await names('?sports=cycling.road')).toStrictEqual(['b']);
  });

  it('does not treat _ as a wildcard in sport prefixes', async () => {
    expect(await names('?sports=cross_country_skiing')).toStrictEqual(['f', 'e']);
  });

  it('takes several sports', async () => {
    expect(await names('?sports=running,cycling.gravel')).toStrictEqual(['d', 'c']);
  });

  it('selects entities carrying any of the tags', async () => {
    expect(await names('?tags=x')).toStrictEqual(['c', 'a']);
    expect(await names('?tags=z,y')).toStrictEqual(['e', 'c', 'b']);
  });

  it('combines filters', async () => {
    expect(await names('?sports=cycling&tags=y&start=2026-05-01')).toStrictEqual(['b']);
  });

  it('pages with limit and offset', async () => {
    expect(await names('?limit=2')).toStrictEqual(['f', 'e']);
    expect(await names('?limit=2&offset=2')).toStrictEqual(['d', 'c']);
    expect(await names('?offset=5')).toStrictEqual(['a']);
    expect(await names('?offset=6')).toStrictEqual([]);
  });

  it('accepts limit 500', async () => {
    expect(await names('?limit=500')).toHaveLength(6);
  });

  it.each([
    ['limit', '501'],
    ['limit', '0'],
    ['limit', '-1'],
    ['limit', 'ten'],
    ['limit', '1.5'],
    ['limit', ''],
    ['limit', '1e2'],
    ['offset', '-1'],
    ['offset', 'x'],
    ['offset', '0x10'],
    ['start', '2026-13-01'],
    ['start', 'yesterday'],
    ['end', '2026-05-01T10:00:00'],
    ['sports', 'chess'],
    ['sports', 'cycling,'],
    ['tags', ''],
  ])('refuses %s=%j: 400 validation_error naming it', async (field, value) => {
    const res = await call(`/api/v1/activities?${field}=${encodeURIComponent(value)}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { [field]: expect.any(String) } }),
    );
  });

  it('lists traces newest first by timestamp', async () => {
    const { token: own } = await userWithApp();
    await createEntity(own, 'traces', { timestamp: '2026-05-01T08:00:00Z', notes: 'early' });
    await createEntity(own, 'traces', { timestamp: '2026-05-02T08:00:00Z', notes: 'late' });
    expect(await listed('traces', '?start=2026-05-01', 'notes', own)).toStrictEqual([
      'late',
      'early',
    ]);
  });

  it('lists tests filtered by sport', async () => {
    const { token: own } = await userWithApp();
    await createEntity(own, 'tests', { sport: 'running.track', title: 'track' });
    await createEntity(own, 'tests', { sport: 'cycling', title: 'bike' });
    expect(await listed('tests', '?sports=running', 'title', own)).toStrictEqual(['track']);
  });

  it('needs data:read', async () => {
    const { token: writer } = await userWithApp(['data:write']);
    const res = await call('/api/v1/activities', { token: writer });
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="appmeta", error="insufficient_scope", scope="data:read"',
    );
  });

  it('never lists another user’s entities', async () => {
    const other = await userWithApp();
    await createEntity(other.token, 'activities', { name: 'theirs' });
    expect(await names('')).not.toContain('theirs');
    expect(ids.a).toBeDefined();
  });
});
