/**
 * Every failure the client reports is an AppmetaError: API errors carry the fields of the
 * spec's §9 body, OAuth errors (RFC 6749 §5.2 `{error, error_description}`) are mapped onto the
 * same fields, and a 429 carries `retryAfter` in seconds.
 */
export interface AppmetaErrorInit {
  status: number;
  errorCode: string;
  message: string;
  requestId?: string | undefined;
  details?: Record<string, unknown> | undefined;
  hint?: string | undefined;
  retryAfter?: number | undefined;
  cause?: unknown;
}

export class AppmetaError extends Error {
  override readonly name = 'AppmetaError';
  /** The HTTP status, or 0 when no response was received. */
  readonly status: number;
  /** The stable snake_case code (`not_found`, `precondition_failed`, `invalid_grant`, …). */
  readonly errorCode: string;
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly hint: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429 and 503). */
  readonly retryAfter: number | undefined;

  constructor(init: AppmetaErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.requestId = init.requestId;
    this.details = init.details;
    this.hint = init.hint;
    this.retryAfter = init.retryAfter;
  }
}

/** Builds the error for a non-2xx response from its body, whichever error shape it has. */
export async function errorFromResponse(response: Response): Promise<AppmetaError> {
  const body = await readJsonObject(response);
  const requestId = stringOf(body?.requestId) ?? response.headers.get('X-Request-Id') ?? undefined;
  const retryAfter = retryAfterOf(response.headers.get('Retry-After'));
  const common = { status: response.status, requestId, retryAfter };
  if (body !== undefined && typeof body.errorCode === 'string') {
    return new AppmetaError({
      ...common,
      errorCode: body.errorCode,
      message: stringOf(body.error) ?? body.errorCode,
      details: isObject(body.details) ? body.details : undefined,
      hint: stringOf(body.hint),
    });
  }
  if (body !== undefined && typeof body.error === 'string') {
    // RFC 6749 §5.2: the token endpoint's error shape.
    return new AppmetaError({
      ...common,
      errorCode: body.error,
      message: stringOf(body.error_description) ?? body.error,
    });
  }
  return new AppmetaError({
    ...common,
    errorCode: `http_${response.status}`,
    message: `HTTP ${response.status} ${response.statusText}`.trim(),
  });
}

async function readJsonObject(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await response.text());
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
function retryAfterOf(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
