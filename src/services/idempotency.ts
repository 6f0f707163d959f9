/**
 * Idempotent writes (spec §14): the first response to a request with an Idempotency-Key is
 * kept IDEMPOTENCY_KEY_TTL_SECONDS per (user, application or key, Idempotency-Key) and
 * replayed to retries with the same method, path and body; the same key with another request
 * is 422 idempotency_key_reused; a retry while the first still runs is 409
 * idempotency_in_progress. The claim is one atomic statement (storage/idempotency-keys.ts).
 */
import type { Principal } from '../auth/principal';
import { IDEMPOTENCY_IN_FLIGHT_MAX_SECONDS, IDEMPOTENCY_KEY_TTL_SECONDS } from '../config';
import { ApiError } from '../errors';
import { sha256 } from '../ids';
import * as keys from '../storage/idempotency-keys';
import { principalId } from '../storage/principal-status';
import type { ServiceContext } from './context';

/** The request an Idempotency-Key was sent with. */
export interface IdempotentRequest {
  key: string;
  method: string;
  path: string;
  body: string;
}

/** A response to keep or replay: status and JSON body text. */
export interface KeptResponse {
  status: number;
  body: string;
  replayed: boolean;
}

/**
 * Runs `first` once per key: a retry gets the kept response. Without a key it just runs.
 * A failure of `first` (an error response) releases the claim, so the retry runs again.
 */
export async function runOnce(
  ctx: ServiceContext,
  principal: Principal,
  request: IdempotentRequest | null,
  first: () => Promise<{ status: number; body: string }>,
): Promise<KeptResponse> {
  if (request === null) return { ...(await first()), replayed: false };
  const scope = { userId: principal.userId, principalId: principalId(principal), key: request.key };
  const hash = await sha256(`${request.method} ${request.path}\n${request.body}`);
  const claim = await keys.claimKey(ctx.db, scope, {
    hash,
    now: ctx.now,
    ttlSeconds: IDEMPOTENCY_KEY_TTL_SECONDS,
    inFlightMaxSeconds: IDEMPOTENCY_IN_FLIGHT_MAX_SECONDS,
  });
  if (!claim.claimed) return replay(claim.recorded, hash);
  let response: { status: number; body: string };
  try {
    response = await first();
  } catch (error) {
    await keys.releaseKey(ctx.db, scope);
    throw error;
  }
  await keys.completeKey(ctx.db, scope, response);
  return { ...response, replayed: false };
}

function replay(recorded: keys.RecordedResponse | null, hash: string): KeptResponse {
  if (recorded !== null && recorded.requestHash !== hash) {
    throw new ApiError(
      'idempotency_key_reused',
      'This Idempotency-Key was used for another request.',
      {
        hint: 'Use a new key for each distinct request.',
      },
    );
  }
  if (recorded === null || recorded.status === null || recorded.body === null) {
    throw new ApiError(
      'idempotency_in_progress',
      'The first request with this key is still running.',
      {
        hint: 'Retry after a moment to receive its response.',
      },
    );
  }
  return { status: recorded.status, body: recorded.body, replayed: true };
}
