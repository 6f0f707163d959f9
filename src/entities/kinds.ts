/**
 * The three entity kinds described once: table, columns, how validated input becomes a row
 * and how a row becomes the JSON the API returns. Storage and routes are generic over these.
 */
import type { z } from '@hono/zod-openapi';
import { TEST_DEFAULT_DURATION_SECONDS } from '../config';
import {
  ActivityInputSchema,
  ActivitySchema,
  TestInputSchema,
  TestSchema,
  TraceInputSchema,
  TraceSchema,
} from './schemas';
import { formatTimestamp, parseDateTime } from './time';

export type EntityKindName = 'activities' | 'traces' | 'tests';
export type EntityJson = Record<string, unknown>;
/** A row as D1 returns it: explicit columns only. */
export type EntityRow = Record<string, string | number | null>;

export interface EntityKind {
  name: EntityKindName;
  /** Singular, for messages. */
  noun: string;
  idPrefix: string;
  /** The column lists are sorted by and filtered on (spec §11). */
  timeColumn: 'start' | 'timestamp';
  /** Data columns besides id, user_id, created_at, updated_at, created_by; quoted where reserved. */
  columns: readonly string[];
  inputSchema: z.ZodType;
  outputSchema: z.ZodType;
  /** Values for `columns`, in order, from validated input. */
  toValues(input: never): Array<string | number | null>;
  toJson(row: EntityRow): EntityJson;
}

const seconds = (value: string) => parseDateTime(value) as number;
const tagsOf = (row: EntityRow) => JSON.parse(String(row.tags)) as string[];
/** The members whose value is not null, in order: how optional (`?`) fields are rendered. */
function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}
/** spec §14: every kind carries its sync fields (this extends §8 for traces and tests). */
const syncFields = (row: EntityRow) => ({
  created_at: formatTimestamp(Number(row.created_at)),
  updated_at: formatTimestamp(Number(row.updated_at)),
  created_by: row.created_by ?? null,
});

const activities: EntityKind = {
  name: 'activities',
  noun: 'activity',
  idPrefix: 'act',
  timeColumn: 'start',
  columns: ['sport', 'start', '"end"', 'duration', 'distance', 'name', 'description', 'tags'],
  inputSchema: ActivityInputSchema,
  outputSchema: ActivitySchema,
  toValues(input: z.infer<typeof ActivityInputSchema>) {
    const start = seconds(input.start);
    const end = input.end !== undefined ? seconds(input.end) : start + (input.duration ?? 0);
    const duration = input.duration ?? end - start;
    return [
      input.sport,
      start,
      end,
      duration,
      input.distance ?? null,
      input.name ?? '',
      input.description ?? '',
      JSON.stringify(input.tags ?? []),
    ];
  },
  toJson: (row) => ({
    id: row.id,
    sport: row.sport,
    start: formatTimestamp(Number(row.start)),
    end: formatTimestamp(Number(row.end)),
    duration: row.duration,
    distance: row.distance,
    name: row.name,
    description: row.description,
    tags: tagsOf(row),
    ...syncFields(row),
  }),
};

/** A trace's optional members (spec §8), in column and response order. */
const TRACE_MEASUREMENTS = [
  'sport',
  'lactate',
  'rpe',
  'power',
  'speed',
  'heart_rate',
  'notes',
] as const;

const traces: EntityKind = {
  name: 'traces',
  noun: 'trace',
  idPrefix: 'trc',
  timeColumn: 'timestamp',
  columns: ['timestamp', ...TRACE_MEASUREMENTS, 'tags'],
  inputSchema: TraceInputSchema,
  outputSchema: TraceSchema,
  toValues: (input: z.infer<typeof TraceInputSchema>) => [
    seconds(input.timestamp),
    ...TRACE_MEASUREMENTS.map((member) => input[member] ?? null),
    JSON.stringify(input.tags ?? []),
  ],
  // spec §8 marks the measurements optional (`?`): an unset one is left out rather than sent
  // as null. The sync fields of §14 follow the tags.
  toJson: (row) => ({
    id: row.id,
    timestamp: formatTimestamp(Number(row.timestamp)),
    ...present(Object.fromEntries(TRACE_MEASUREMENTS.map((member) => [member, row[member]]))),
    tags: tagsOf(row),
    ...syncFields(row),
  }),
};

const tests: EntityKind = {
  name: 'tests',
  noun: 'test',
  idPrefix: 'tst',
  timeColumn: 'start',
  columns: ['sport', 'start', '"end"', 'title', 'results', 'tags'],
  inputSchema: TestInputSchema,
  outputSchema: TestSchema,
  toValues(input: z.infer<typeof TestInputSchema>) {
    const start = seconds(input.start);
    const end =
      input.end !== undefined ? seconds(input.end) : start + TEST_DEFAULT_DURATION_SECONDS;
    const results = input.results == null ? null : JSON.stringify(input.results);
    return [
      input.sport,
      start,
      end,
      input.title ?? null,
      results,
      JSON.stringify(input.tags ?? []),
    ];
  },
  // spec §8: `title?` and `results?` are optional, left out when unset.
  toJson: (row) => ({
    id: row.id,
    sport: row.sport,
    start: formatTimestamp(Number(row.start)),
    end: formatTimestamp(Number(row.end)),
    ...present({
      title: row.title,
      results: row.results === null ? null : (JSON.parse(String(row.results)) as unknown),
    }),
    tags: tagsOf(row),
    ...syncFields(row),
  }),
};

export const ENTITY_KINDS: Record<EntityKindName, EntityKind> = { activities, traces, tests };
