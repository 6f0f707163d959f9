/**
 * A throttled OAuth request: 429 in RFC 6749's JSON shape with `temporarily_unavailable` and a
 * `Retry-After` in whole seconds (spec §15, §17). Rendered by the OAuth sub-app's onError.
 */
import { OAuthError } from '../errors';

export class OAuthThrottledError extends OAuthError {
  constructor(
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super('temporarily_unavailable', description, 429);
  }
}
