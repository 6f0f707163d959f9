/**
 * Revocation reach with the memo of verified tokens (api.md §11 "Revocation reach"): the
 * isolate has verified the token and served it hot reads, then the principal is revoked; the
 * very next read in the same isolate is 401, though the token's signature check is memoized.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { tokenDigest } from '../../src/auth/token-memo';
import { loadKeySet } from '../../src/auth/tokens';
import { createAccount } from '../helpers/browser';
import { ISSUER, appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { sampleActivity } from '../helpers/entities';
import { obtainTokens } from '../helpers/oauth-flow';
import { apiError, call, serverTiming } from '../helpers/worker';

const ADMIN = { Authorization: 'Bearer test-admin-token-0123456789abcdef' };

interface Case {
  /** The token whose hot reads are measured, the owner's personal key, and how to revoke. */
  token: string;
  ownerKey: string;
  revoke: () => Promise<Response>;
}

async function viaOAuthRevocation(): Promise<Case> {
  const account = await createAccount();
  const app = await createApp({ confidential: false });
  const { tokens } = await obtainTokens(account, app, ['data:read'], false);
  const token = tokens.access_token;
  const body = new URLSearchParams({ client_id: app.clientId, token }).toString();
  const ownerKey = (await personalKey({ id: account.id, email: account.email })).token;
  const revoke = () =>
    call('/oauth/revoke', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  return { token, ownerKey, revoke };
}

function refresh(clientId: string, refreshToken: string): Promise<Response> {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
  }).toString();
  return call('/oauth/token', {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

/** RFC 9700 §4.14.2: the rotated token used again ends the chain (the reuse answers 400). */
async function viaRefreshTokenReuse(): Promise<Case> {
  const account = await createAccount();
  const app = await createApp({ confidential: false });
  const { tokens } = await obtainTokens(account, app, ['data:read'], false);
  const ownerKey = (await personalKey({ id: account.id, email: account.email })).token;
  const rotated = tokens.refresh_token as string;
  const revoke = async () => {
    expect((await refresh(app.clientId, rotated)).status).toBe(200);
    return refresh(app.clientId, rotated);
  };
  return { token: tokens.access_token, ownerKey, revoke };
}

async function viaUserRevokingTheApp(): Promise<Case> {
  const user = await createUser();
  const app = await createApp();
  const token = await appToken(user, app);
  const ownerKey = (await personalKey(user)).token;
  const path = `/api/v1/profile/authorizations/${app.clientId}`;
  return { token, ownerKey, revoke: () => call(path, { method: 'DELETE', token: ownerKey }) };
}

async function viaAdminDisablingTheApp(): Promise<Case> {
  const user = await createUser();
  const app = await createApp();
  const token = await appToken(user, app);
  const ownerKey = (await personalKey(user)).token;
  const path = `/api/v1/admin/applications/${app.clientId}`;
  return { token, ownerKey, revoke: () => call(path, { method: 'DELETE', headers: ADMIN }) };
}

async function viaUserRevokingTheKey(): Promise<Case> {
  const user = await createUser();
  const key = await personalKey(user);
  const path = `/api/v1/profile/api-keys/${key.id}`;
  return {
    token: key.token,
    ownerKey: key.token,
    revoke: () => call(path, { method: 'DELETE', token: key.token }),
  };
}

async function createActivity(ownerKey: string): Promise<string> {
  const created = await call('/api/v1/activities', {
    method: 'POST',
    token: ownerKey,
    json: sampleActivity,
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

describe('revocation between two hot reads served by the same isolate', () => {
  it.each([
    ['RFC 7009 revocation of the access token', viaOAuthRevocation, 200],
    ['reuse of a rotated refresh token', viaRefreshTokenReuse, 400],
    ['the user revoking the application', viaUserRevokingTheApp, 204],
    ['an administrator disabling the application', viaAdminDisablingTheApp, 204],
    ['the user revoking the personal key', viaUserRevokingTheKey, 204],
  ] as const)('%s makes the next read 401', async (_name, setUp, revokedStatus) => {
    const { token, ownerKey, revoke } = await setUp();
    const path = `/api/v1/activities/${await createActivity(ownerKey)}`;
    expect((await call(path, { token })).status).toBe(200);
    const hot = await call(path, { token });
    expect(hot.status).toBe(200);
    expect(serverTiming(hot)).toStrictEqual({ cache: 'hit', d1: 0 });
    const keys = await loadKeySet(env.SIGNING_KEYS);
    const now = Math.floor(Date.now() / 1000);
    expect(keys.verified.get(await tokenDigest(token), ISSUER, now)).not.toBeNull();

    expect((await revoke()).status).toBe(revokedStatus);

    const after = await call(path, { token });
    expect(after.status).toBe(401);
    expect(await after.json()).toStrictEqual(apiError('invalid_token'));
    expect(after.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="appmeta", error=/);
    expect(serverTiming(after)).toStrictEqual({ cache: 'miss', d1: 1 });
  });
});
