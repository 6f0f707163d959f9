/**
 * Issue 8 finding 1 and spec §14: every list query shape is answered from indexes. Runs
 * EXPLAIN QUERY PLAN on the statement each shape sends and fails on a full SCAN of an entity
 * table or an index table (json_each over the query's own parameter is not a table).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { AppPrincipal } from '../../src/auth/principal';
import { ENTITY_KINDS, type EntityKindName } from '../../src/entities/kinds';
import type { ListFilters } from '../../src/entities/list-query';
import { listStatement } from '../../src/storage/entity-lists';

const principal: AppPrincipal = {
  kind: 'app',
  userId: 'usr_plan',
  clientId: 'app_plan',
  scopes: new Set(),
  jti: 'j',
  gen: 1,
};

const plain: ListFilters = {
  start: null,
  end: null,
  sports: null,
  tags: null,
  limit: 100,
  offset: 0,
  sort: 'time',
  cursor: null,
  updatedSince: null,
  createdBy: null,
  metadata: [],
};

const every: Partial<ListFilters> = {
  start: 1,
  end: 2_000_000_000,
  sports: ['cycling'],
  tags: ['a', 'b'],
  updatedSince: 1,
  createdBy: 'app_x',
  metadata: [
    { op: 'has', key: 'seen' },
    { op: 'missing', key: 'done' },
    { op: 'equals', key: 'plan', value: { type: 'string', value: 'base' } },
    { op: 'equals', key: 'n', value: { type: 'number', value: 3 } },
    { op: 'equals', key: 'ok', value: { type: 'true', value: null } },
  ],
};

const SHAPES: Array<[string, Partial<ListFilters>]> = [
  ['the plain list', {}],
  ['start and end', { start: 1, end: 2_000_000_000 }],
  ['sports', { sports: ['cycling', 'running'] }],
  ['ten tags', { tags: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] }],
  ['updated_since', { updatedSince: 1 }],
  ['created_by', { createdBy: 'app_x' }],
  ['sort=updated_at', { sort: 'updated_at' }],
  ['a cursor', { cursor: { sort: 'time', key: 5, id: 'act_x' } }],
  [
    'a cursor with sort=updated_at',
    { sort: 'updated_at', cursor: { sort: 'updated_at', key: 5, id: 'act_x' } },
  ],
  ['app_metadata.has', { metadata: [{ op: 'has', key: 'k' }] }],
  ['app_metadata.missing', { metadata: [{ op: 'missing', key: 'k' }] }],
  [
    'app_metadata.<key>=<value>',
    { metadata: [{ op: 'equals', key: 'k', value: { type: 'string', value: 'v' } }] },
  ],
  [
    'app_metadata.<key>=null',
    { metadata: [{ op: 'equals', key: 'k', value: { type: 'null', value: null } }] },
  ],
  ['every filter at once', every],
  ['every filter with a cursor', { ...every, cursor: { sort: 'time', key: 5, id: 'act_x' } }],
];

/** A line of the plan that reads a whole table (or a whole index) of stored rows. */
const FULL_SCAN =
  /\bSCAN (activities|traces|tests|e|entity_tags|t|app_metadata_members|x|app_metadata|m)\b/;

async function planOf(kind: EntityKindName, filters: Partial<ListFilters>): Promise<string[]> {
  const statement = listStatement(principal, ENTITY_KINDS[kind], { ...plain, ...filters });
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
    .bind(...statement.binds)
    .all<{ detail: string }>();
  return results.map((row) => row.detail);
}

it('catches the json_each tag filter this index replaced (issue 8 finding 1)', async () => {
  const { results } = await env.DB.prepare(
    `EXPLAIN QUERY PLAN SELECT e.id FROM activities e WHERE e.user_id = ?
        AND EXISTS (SELECT 1 FROM json_each(e.tags) t JOIN json_each(?) q ON t.value = q.value)
      ORDER BY e.start DESC LIMIT 100`,
  )
    .bind('usr_plan', '["a"]')
    .all<{ detail: string }>();
  expect(results.some((row) => FULL_SCAN.test(row.detail))).toBe(true);
});

describe.each(Object.keys(ENTITY_KINDS) as EntityKindName[])('%s lists', (kind) => {
  it.each(SHAPES)('answer %s without scanning a table', async (_name, filters) => {
    const plan = await planOf(kind, filters);
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.filter((line) => FULL_SCAN.test(line))).toStrictEqual([]);
  });

  it('binds at most 100 parameters with every filter (D1 limit)', () => {
    const statement = listStatement(principal, ENTITY_KINDS[kind], {
      ...plain,
      ...every,
      metadata: Array.from({ length: 10 }, () => ({
        op: 'equals' as const,
        key: 'k',
        value: { type: 'string' as const, value: 'v' },
      })),
      cursor: { sort: 'time', key: 5, id: 'act_x' },
    });
    expect(statement.binds.length).toBeLessThanOrEqual(100);
  });
});
