/**
 * The one logging helper: a JSON line per event with the request id when there is one.
 * Callers pass counts, ids and reasons only; never tokens, secrets or metadata documents.
 */

export type LogLevel = 'info' | 'warn' | 'error';

export function logEvent(
  level: LogLevel,
  event: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ event, ...fields });
  if (level === 'info') console.log(line);
  else console[level](line);
}

/** Name and first line of an error, for logs: no stack (may hold values), no request data. */
export function describeError(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message.split('\n', 1)[0]?.slice(0, 200)}`
    : 'unknown';
}
