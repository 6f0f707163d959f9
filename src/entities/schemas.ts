/**
 * Request and response schemas of the v1 entities (spec §8). The same zod objects validate
 * requests and generate /openapi.json, so the documentation cannot drift from the code.
 * Unknown keys are stripped (spec §8: ignored).
 */
import { z } from '@hono/zod-openapi';
import { SPORTS } from './sports';
import { parseDateTime } from './time';

const MAX_TEXT_SHORT = 200;
const MAX_TEXT_LONG = 10_000;

export const SportSchema = z.enum(SPORTS).openapi('Sport', { example: 'cycling.road' });

export const DateTimeSchema = z
  .string()
  .refine((value) => parseDateTime(value) !== null, {
    message: 'must be an ISO-8601 date-time with offset, e.g. 2024-05-01T10:00:00Z',
  })
  .openapi({ format: 'date-time', example: '2024-05-01T10:00:00Z' });

/**
 * Optional members are `.optional()`, never `.default()`, with the default applied where the
 * input is used (kinds.ts): a JSON Schema `default` makes generated client types demand the
 * member (openapi-typescript's defaultNonNullable), so a minimal body would not compile.
 */
export const TagsSchema = z
  .array(z.string().min(1).max(64))
  .max(50)
  .optional()
  .openapi({ example: ['intervals'], description: 'default []' });

/**
 * A JSON object passed through by reference: z.record would rebuild it by assignment, turning
 * a `__proto__` member into a prototype instead of data (security.md, "Hostile input").
 */
export const JsonObjectSchema = z
  .custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { message: 'must be a JSON object' },
  )
  .openapi({ type: 'object', additionalProperties: true });

const nonNegative = z.number().finite().nonnegative();

export const ActivityInputSchema = z
  .object({
    sport: SportSchema,
    start: DateTimeSchema,
    end: DateTimeSchema.optional(),
    duration: z
      .number()
      .int()
      .nonnegative()
      .max(31_536_000)
      .optional()
      .openapi({ description: 'seconds' }),
    distance: nonNegative.nullable().optional().openapi({ description: 'metres' }),
    name: z.string().max(MAX_TEXT_SHORT).optional().openapi({ description: 'default ""' }),
    description: z.string().max(MAX_TEXT_LONG).optional().openapi({ description: 'default ""' }),
    tags: TagsSchema,
  })
  .superRefine((value, ctx) => {
    if (value.end === undefined && value.duration === undefined) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end or duration is required' });
    }
    if (
      value.end !== undefined &&
      (parseDateTime(value.end) ?? 0) < (parseDateTime(value.start) ?? 0)
    ) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must not be before start' });
    }
  })
  .openapi('ActivityInput');

export const TraceInputSchema = z
  .object({
    timestamp: DateTimeSchema,
    sport: SportSchema.nullable().optional(),
    lactate: nonNegative.max(100).nullable().optional().openapi({ description: 'mmol/L' }),
    rpe: z.number().int().min(1).max(10).nullable().optional(),
    power: nonNegative.max(10_000).nullable().optional().openapi({ description: 'W' }),
    speed: nonNegative.max(1_000).nullable().optional().openapi({ description: 'm/s' }),
    heart_rate: z
      .number()
      .int()
      .min(0)
      .max(300)
      .nullable()
      .optional()
      .openapi({ description: 'bpm' }),
    notes: z.string().max(MAX_TEXT_LONG).nullable().optional(),
    tags: TagsSchema,
  })
  .openapi('TraceInput');

export const TestInputSchema = z
  .object({
    sport: SportSchema,
    start: DateTimeSchema,
    end: DateTimeSchema.optional().openapi({ description: 'defaults to start + 3 h' }),
    title: z.string().max(MAX_TEXT_SHORT).nullable().optional(),
    results: JsonObjectSchema.nullable().optional(),
    tags: TagsSchema,
  })
  .superRefine((value, ctx) => {
    if (
      value.end !== undefined &&
      (parseDateTime(value.end) ?? 0) < (parseDateTime(value.start) ?? 0)
    ) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must not be before start' });
    }
  })
  .openapi('TestInput');

export type ActivityInput = z.infer<typeof ActivityInputSchema>;
export type TraceInput = z.infer<typeof TraceInputSchema>;
export type TestInput = z.infer<typeof TestInputSchema>;

/** spec §14: the sync fields every kind carries. */
const syncFields = {
  created_at: z.string().openapi({ format: 'date-time' }),
  updated_at: z.string().openapi({ format: 'date-time' }),
  created_by: z.string().nullable().openapi({
    description: 'client_id of the application that created it; null for a personal key or session',
  }),
};

const AppMetadataField = z
  .record(z.string(), z.unknown())
  .optional()
  .openapi({ description: "The calling application's private document; absent when it has none" });

export const ActivitySchema = z
  .object({
    id: z.string(),
    sport: SportSchema,
    start: z.string(),
    end: z.string(),
    duration: z.number().int(),
    distance: z.number().nullable(),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    ...syncFields,
    app_metadata: AppMetadataField,
  })
  .openapi('Activity');

export const TraceSchema = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    sport: SportSchema.optional(),
    lactate: z.number().optional(),
    rpe: z.number().int().optional(),
    power: z.number().optional(),
    speed: z.number().optional(),
    heart_rate: z.number().int().optional(),
    notes: z.string().optional(),
    tags: z.array(z.string()),
    ...syncFields,
    app_metadata: AppMetadataField,
  })
  .openapi('Trace');

export const TestSchema = z
  .object({
    id: z.string(),
    sport: SportSchema,
    start: z.string(),
    end: z.string(),
    title: z.string().optional(),
    results: z.record(z.string(), z.unknown()).optional(),
    tags: z.array(z.string()),
    ...syncFields,
    app_metadata: AppMetadataField,
  })
  .openapi('Test');

export const ProfileSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    display_name: z.string(),
    registered_at: z.string(),
    app_metadata: AppMetadataField,
  })
  .openapi('Profile');
