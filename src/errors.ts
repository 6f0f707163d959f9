/**
 * The closed set of API error codes and the one place that maps them to HTTP statuses
 * (spec §9). OAuth endpoints use OAuthError instead (RFC 6749 §5.2 bodies).
 */

export type ErrorCode =
  | 'unauthorized'
  | 'invalid_token'
  | 'invalid_client'
  | 'insufficient_scope'
  | 'app_token_required'
  | 'app_token_not_allowed'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'method_not_allowed'
  | 'validation_error'
  | 'invalid_json'
  | 'too_deep'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'precondition_failed'
  | 'conflict'
  | 'cursor_expired'
  | 'quota_exceeded'
  | 'idempotency_key_reused'
  | 'idempotency_in_progress'
  | 'rate_limited'
  | 'service_unavailable'
  | 'internal_error';

/** Default status per code. `validation_error` is 400 for entities and 422 for metadata (spec §4, §5). */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'unauthorized':
    case 'invalid_token':
    case 'invalid_client':
      return 401;
    case 'insufficient_scope':
    case 'app_token_required':
    case 'app_token_not_allowed':
    case 'forbidden':
    case 'csrf_failed':
      return 403;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'validation_error':
    case 'invalid_json':
      return 400;
    case 'precondition_failed':
      return 412;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'conflict':
    case 'idempotency_in_progress':
      return 409;
    case 'cursor_expired':
      return 410;
    case 'too_deep':
    case 'quota_exceeded':
    case 'idempotency_key_reused':
      return 422;
    case 'rate_limited':
      return 429;
    case 'service_unavailable':
      return 503;
    case 'internal_error':
      return 500;
  }
}

export interface ApiErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  /** Only for codes whose status depends on the endpoint (validation_error → 422). */
  status?: 400 | 422;
  /** Required scope, echoed in the RFC 6750 challenge of a 403 insufficient_scope. */
  scope?: string;
  /** Sent as Retry-After (seconds) on 429 and 503. */
  retryAfterSeconds?: number;
}

/** An expected failure with a documented errorCode. Thrown by routes, rendered by app.onError. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: ApiErrorOptions = {},
  ) {
    super(message);
    this.status = options.status ?? statusForCode(code);
  }
}

/**
 * The token verified, but its grant, application, personal key or session is no longer
 * active. Thrown by storage in the same round trip that checked it; rendered by app.onError as
 * 401 invalid_token (spec §11, "Revocation reach").
 */
export class InactivePrincipalError extends Error {
  override readonly name = 'InactivePrincipalError';
  readonly code = 'invalid_token';
  constructor() {
    super('The access token has been revoked.');
  }
}

/** D1 could not be reached or failed: a 503, never a stale authorization decision. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  readonly code = 'service_unavailable';
  constructor(override readonly cause: unknown) {
    super('storage unavailable');
  }
}

/** RFC 6749 §5.2 error codes (plus RFC 7009 / RFC 6750 ones used by the token endpoints). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required';

/** An OAuth protocol error, rendered as `{"error","error_description"}` with no-store. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status: number = code === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}
