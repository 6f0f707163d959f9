/**
 * The admin lifecycle of an application, driven over HTTP (spec §15, §17): PATCH, secret
 * rotation, purge; and what the tests compare before and after (the stored row, a refresh).
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createAccount } from './browser';
import { sampleActivity } from './entities';
import { type TestApp, createApp } from './factories';
import { basicAuth, obtainTokens } from './oauth-flow';
import { type CallOptions, call, serverTiming } from './worker';
import type { Scope } from '../../src/auth/scopes';

export const applicationPath = (clientId: string) => `/api/v1/admin/applications/${clientId}`;

/** A request to the admin API with the admin token. */
export function adminCall(path: string, options: CallOptions = {}): Promise<Response> {
  return call(path, { ...options, headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });
}

export const patchApp = (clientId: string, json: unknown) =>
  adminCall(applicationPath(clientId), { method: 'PATCH', json });

/** The stored application row, every column. */
export function applicationRow(clientId: string) {
  return env.DB.prepare(
    `SELECT client_id, name, redirect_uris, confidential, scopes, secret_hash, created_at,
            disabled_at, rate_limit_tier FROM applications WHERE client_id = ?`,
  )
    .bind(clientId)
    .first<Record<string, unknown>>();
}

/** A refresh at the token endpoint (RFC 6749 §6), the client authenticated as it must be. */
export function refresh(app: TestApp, refreshToken: string, confidential = true, secret?: string) {
  const params: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  };
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  if (confidential) headers.Authorization = basicAuth(app, secret);
  else params.client_id = app.clientId;
  return call('/oauth/token', { method: 'POST', body: new URLSearchParams(params), headers });
}

/**
 * A confidential app a user authorized through the real flow, with an activity read twice by
 * the app's access token so the second read is a hot cached one.
 */
export async function authorizedAppWithHotRead(scopes: Scope[] = ['profile', 'data:read']) {
  const app = await createApp();
  const account = await createAccount();
  const { tokens } = await obtainTokens(account, app, [...scopes, 'data:write'], true);
  const accessToken = tokens.access_token;
  const created = await call('/api/v1/activities', {
    method: 'POST',
    token: accessToken,
    json: sampleActivity,
  });
  expect(created.status).toBe(201);
  const path = `/api/v1/activities/${((await created.json()) as { id: string }).id}`;
  await call(path, { token: accessToken });
  expect(serverTiming(await call(path, { token: accessToken })).cache).toBe('hit');
  return { app, account, accessToken, refreshToken: tokens.refresh_token as string, path };
}
