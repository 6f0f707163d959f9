/**
 * Moving an authorization request forward (spec §6, RFC 6749 §4.1): from /oauth/authorize,
 * after login or signup, and on the consent decision. Plain inputs in, a FlowOutcome out; the
 * route maps the outcome to HTTP (src/routes/authorization-responses.ts).
 *
 * A request is stored only when it must wait for the user (login or consent), and at most
 * AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS per address per request lifetime. Every path that
 * grants or issues a code re-checks in the same statement that the application is still
 * enabled, so an app disabled while the user was signing in or consenting gets neither.
 */
import { type Scope, SCOPES } from '../auth/scopes';
import {
  AUTHORIZATION_CODE_TTL_SECONDS,
  AUTHORIZATION_REQUEST_TTL_SECONDS,
  AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS,
} from '../config';
import { randomToken, sha256 } from '../ids';
import { newFamilyId } from '../oauth/refresh-chain';
import { insertAuthorizationCode } from '../storage/authorization-codes';
import {
  type AuthorizationRequest,
  consumeAuthorizationRequest,
  getAuthorizationRequest,
  insertAuthorizationRequest,
  setAuthorizationRequestUser,
} from '../storage/authorization-requests';
import { getApplication } from '../storage/applications';
import type { Database } from '../storage/db';
import { getGrant, upsertGrant } from '../storage/grants';

export interface FlowDeps {
  db: Database;
  /** Unix seconds. */
  now: number;
  /** Milliseconds, for a new grant's generation. */
  nowMs: number;
}

/** What the browser is shown next. */
export type FlowOutcome =
  | { kind: 'login'; tx: string }
  | { kind: 'consent'; tx: string }
  /** Back to the client's redirect URI with these parameters (plus `iss`, RFC 9207). */
  | { kind: 'client'; redirectUri: string; params: Record<string, string | null> }
  /** The pending request is unknown, finished or expired. */
  | { kind: 'expired' }
  /** The application was disabled meanwhile: no grant, no code, no redirect. */
  | { kind: 'unavailable' };

/** The opaque handle of a pending request as it appears in URLs and forms. */
export const TX_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const toClient = (
  request: AuthorizationRequest,
  params: Record<string, string | null>,
): FlowOutcome => ({
  kind: 'client',
  redirectUri: request.redirectUri,
  params: { ...params, state: request.state },
});

/** True unless the user's grant already covers every scope asked (and consent is not forced). */
export async function needsConsent(
  db: Database,
  request: AuthorizationRequest,
  userId: string,
): Promise<boolean> {
  if (request.promptConsent) return true;
  const grant = await getGrant(db, userId, request.clientId);
  return grant === null || request.scopes.some((scope) => !grant.scopes.includes(scope));
}

/** A pending request, as the login, signup and consent pages show it. */
export interface PendingRequest {
  tx: string;
  request: AuthorizationRequest;
  /** The application's name; null when it is gone or disabled. */
  appName: string | null;
}

/** The live request named by `tx` that this browser started, with its app's name, or null. */
export async function findPendingRequest(
  deps: FlowDeps,
  tx: string | undefined,
  browserHash: string,
): Promise<PendingRequest | null> {
  if (tx === undefined || !TX_PATTERN.test(tx)) return null;
  const request = await getAuthorizationRequest(deps.db, await sha256(tx), browserHash, deps.now);
  if (request === null) return null;
  const app = await getApplication(deps.db, request.clientId);
  return { tx, request, appName: app !== null && app.disabledAt === null ? app.name : null };
}

/**
 * GET /oauth/consent: what to show the signed-in `userId`. A request claimed by another user,
 * or still waiting for the login prompt=login asked for, goes back to the login page.
 */
export async function consentToShow(
  deps: FlowDeps,
  input: { tx: string; browserHash: string; userId: string },
): Promise<FlowOutcome | { kind: 'show'; pending: PendingRequest; appName: string }> {
  const pending = await findPendingRequest(deps, input.tx, input.browserHash);
  if (pending === null) return { kind: 'expired' };
  if (pending.request.userId !== input.userId || pending.request.promptLogin) {
    return { kind: 'login', tx: input.tx };
  }
  if (pending.appName === null) return { kind: 'expired' };
  return { kind: 'show', pending, appName: pending.appName };
}

export interface StartInput {
  /** The validated request, not yet stored (its userId is null). */
  request: AuthorizationRequest;
  promptNone: boolean;
  /** The signed-in user, if any. */
  userId: string | null;
  browserHash: string;
  /** The caller's address, for the cap on stored requests. */
  address: string;
}

/** GET /oauth/authorize after validation: a code at once, or a stored request to continue. */
export async function startAuthorization(deps: FlowDeps, input: StartInput): Promise<FlowOutcome> {
  const { request, userId } = input;
  if (input.promptNone) {
    // OpenID-style prompt=none: no UI at all; answer at once or report why not.
    if (userId === null) return toClient(request, { error: 'login_required' });
    if (await needsConsent(deps.db, request, userId)) {
      return toClient(request, { error: 'consent_required' });
    }
    return issueCode(deps, request, userId);
  }
  const signedIn = userId !== null && !request.promptLogin;
  const consent = signedIn && (await needsConsent(deps.db, request, userId));
  if (signedIn && !consent) return issueCode(deps, request, userId);
  const tx = randomToken(32);
  const stored = await insertAuthorizationRequest(
    deps.db,
    { idHash: await sha256(tx), browserHash: input.browserHash },
    { ...request, userId: consent ? userId : null },
    deps.now,
    {
      address: input.address,
      max: AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS,
      windowSeconds: AUTHORIZATION_REQUEST_TTL_SECONDS,
    },
  );
  if (!stored) {
    // RFC 6749 §4.1.2.1: temporarily_unavailable, for a server that cannot take the request now.
    return toClient(request, {
      error: 'temporarily_unavailable',
      error_description: 'Too many pending sign-ins from this address; try again later.',
    });
  }
  return consent ? { kind: 'consent', tx } : { kind: 'login', tx };
}

export interface ContinueInput {
  tx: string;
  request: AuthorizationRequest;
  userId: string;
  /** True when the user just signed in for this request, which satisfies prompt=login. */
  loggedInHere: boolean;
  browserHash: string;
}

/** After login or signup: consent when the grant does not cover the request, else a code. */
export async function continueAuthorization(
  deps: FlowDeps,
  input: ContinueInput,
): Promise<FlowOutcome> {
  const idHash = await sha256(input.tx);
  await setAuthorizationRequestUser(deps.db, idHash, input.userId, input.loggedInHere);
  if (await needsConsent(deps.db, input.request, input.userId)) {
    return { kind: 'consent', tx: input.tx };
  }
  const consumed = await consumeAuthorizationRequest(
    deps.db,
    idHash,
    input.browserHash,
    input.userId,
    deps.now,
  );
  if (consumed === null) return { kind: 'expired' };
  return issueCode(deps, consumed, input.userId);
}

export interface DecisionInput {
  tx: string;
  approve: boolean;
  userId: string;
  browserHash: string;
}

/** POST /oauth/consent: decides the request once; approval widens the grant and issues a code. */
export async function decideConsent(deps: FlowDeps, input: DecisionInput): Promise<FlowOutcome> {
  const request = await consumeAuthorizationRequest(
    deps.db,
    await sha256(input.tx),
    input.browserHash,
    input.userId,
    deps.now,
  );
  if (request === null) return { kind: 'expired' };
  if (!input.approve) {
    // A disabled client is never redirected to, not even with a denial (spec §6).
    const app = await getApplication(deps.db, request.clientId);
    if (app === null || app.disabledAt !== null) return { kind: 'unavailable' };
    return toClient(request, {
      error: 'access_denied',
      error_description: 'The user denied the request.',
    });
  }
  const existing = await getGrant(deps.db, input.userId, request.clientId);
  const granted = new Set<Scope>([...(existing?.scopes ?? []), ...request.scopes]);
  const grant = await upsertGrant(deps.db, {
    userId: input.userId,
    clientId: request.clientId,
    scopes: SCOPES.filter((scope) => granted.has(scope)),
    now: deps.now,
    nowMs: deps.nowMs,
  });
  if (grant === null) return { kind: 'unavailable' };
  return issueCode(deps, request, input.userId);
}

/** Issues a code for a decided request (RFC 6749 §4.1.2), unless the app is disabled. */
async function issueCode(
  deps: FlowDeps,
  request: AuthorizationRequest,
  userId: string,
): Promise<FlowOutcome> {
  const code = randomToken(32);
  const stored = await insertAuthorizationCode(
    deps.db,
    await sha256(code),
    {
      clientId: request.clientId,
      userId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: request.scopes,
      familyId: newFamilyId(deps.now),
      expiresAt: deps.now + AUTHORIZATION_CODE_TTL_SECONDS,
      usedAt: null,
    },
    deps.now,
  );
  if (!stored) return { kind: 'unavailable' };
  return toClient(request, { code });
}
