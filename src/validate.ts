/** Validation of parsed input against a zod schema, failures as 400/422 validation_error. */
import type { z } from '@hono/zod-openapi';
import { ApiError } from './errors';

/** Validates with zod; failures name each field (`details: {field: message}`). */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  status: 400 | 422 = 400,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A Map, then own properties: a member named `__proto__` is a field name, never a prototype.
  const details = new Map<string, string>();
  const note = (field: string, message: string) => {
    if (!details.has(field)) details.set(field, message);
  };
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // Strict schemas: name each unknown member rather than the body as a whole.
      for (const key of issue.keys) note([...issue.path, key].join('.'), 'unknown field');
    } else {
      note(issue.path.length > 0 ? issue.path.join('.') : '(body)', issue.message);
    }
  }
  throw new ApiError('validation_error', 'Some fields are invalid.', {
    details: Object.fromEntries(details),
    status,
  });
}
