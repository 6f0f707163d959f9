/**
 * Ending a refresh-token chain: what reuse of a rotated refresh token, replay of a used code
 * and RFC 7009 revocation of a refresh token all do. The family and every access token of its
 * grant are revoked in D1 (RFC 7009 §2.1, RFC 9700 §4.14.2), then the application's cached
 * views for the user are deleted so hot reads refuse at once.
 */
import { dropPrincipalViews } from '../storage/cached-views';
import { revokeFamily } from '../storage/refresh-tokens';
import type { OAuthDeps } from './deps';

export interface Chain {
  familyId: string;
  userId: string;
  clientId: string;
}

export async function revokeChain(deps: OAuthDeps, chain: Chain): Promise<void> {
  await revokeFamily(deps.db, {
    familyId: chain.familyId,
    userId: chain.userId,
    clientId: chain.clientId,
    now: deps.now,
    nowMs: deps.nowMs,
  });
  await dropPrincipalViews(deps.db, deps.cache, chain.clientId, chain.userId);
}
