/** POST /oauth/token: hostile cases for codes, PKCE, client authentication and refresh rotation. */
import { describe, expect, it } from 'vitest';
import { createAccount } from '../helpers/browser';
import { type TestApp, createApp } from '../helpers/factories';
import {
  REDIRECT_URI,
  basicAuth as basic,
  obtainCallback,
  obtainTokens,
} from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  return call('/oauth/token', {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
}

async function freshCode(confidential = false) {
  const account = await createAccount();
  const app = await createApp({ confidential });
  const { callback, verifier } = await obtainCallback(account, { app, scopes: ['profile'] });
  const code = callback.searchParams.get('code') as string;
  const exchange = (overrides: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    token(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        ...(confidential ? {} : { client_id: app.clientId }),
        ...overrides,
      },
      confidential ? { Authorization: basic(app), ...headers } : headers,
    );
  return { account, app, code, verifier, exchange };
}

const invalidGrant = { error: 'invalid_grant', error_description: expect.any(String) };

describe('authorization codes', () => {
  it('are exchanged once, with no-store, and a replay fails and revokes what they issued', async () => {
    const { exchange, app } = await freshCode();
    const first = await exchange();
    expect(first.status).toBe(200);
    expect(first.headers.get('Cache-Control')).toBe('no-store');
    const issued = (await first.json()) as { access_token: string; refresh_token: string };
    const replay = await exchange();
    expect(replay.status).toBe(400);
    expect(replay.headers.get('Cache-Control')).toBe('no-store');
    expect(await replay.json()).toStrictEqual(invalidGrant);
    expect((await call('/api/v1/profile', { token: issued.access_token })).status).toBe(401);
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
      client_id: app.clientId,
    });
    expect(await refresh.json()).toStrictEqual(invalidGrant);
  });

  it.each([
    ['a wrong verifier', { code_verifier: 'x'.repeat(43) }],
    ['a too short verifier', { code_verifier: 'short' }],
    ['no verifier (PKCE downgrade)', { code_verifier: '' }],
    ['another redirect URI', { redirect_uri: 'https://app.example.test/other' }],
    ['a redirect URI with a trailing slash', { redirect_uri: `${REDIRECT_URI}/` }],
  ])('refuses %s without consuming the code', async (_name, overrides) => {
    const { exchange } = await freshCode();
    const bad = await exchange(overrides);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^invalid_(grant|request)$/);
    expect((await exchange()).status).toBe(200);
  });

  it('refuses a code presented by another client without consuming it', async () => {
    const { exchange } = await freshCode();
    const other = await createApp({ confidential: false });
    const bad = await exchange({ client_id: other.clientId });
    expect(await bad.json()).toStrictEqual(invalidGrant);
    expect((await exchange()).status).toBe(200);
  });

  it('lets exactly one of parallel exchanges succeed', async () => {
    const { exchange } = await freshCode();
    const results = await Promise.all(Array.from({ length: 5 }, () => exchange()));
    expect(results.map((r) => r.status).sort()).toStrictEqual([200, 400, 400, 400, 400]);
  });

  it('refuses an unknown code', async () => {
    const { exchange } = await freshCode();
    expect(await (await exchange({ code: 'not-a-code' })).json()).toStrictEqual(invalidGrant);
  });
});

describe('client authentication', () => {
  it('requires HTTP Basic from a confidential client', async () => {
    const { exchange, app } = await freshCode(true);
    const response = await token({
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: REDIRECT_URI,
      code_verifier: 'y'.repeat(43),
      client_id: app.clientId,
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
    expect((await exchange()).status).toBe(200);
  });

  it.each([
    ['a wrong secret', (app: TestApp) => ({ Authorization: basic(app, 'wrong') })],
    ['a malformed Basic header', () => ({ Authorization: 'Basic %%%' })],
    [
      'an unknown client',
      (app: TestApp) => ({ Authorization: basic({ ...app, clientId: 'app_unknown' }) }),
    ],
  ])('answers %s with 401 invalid_client and a Basic challenge', async (_name, headers) => {
    const { app } = await freshCode(true);
    const response = await token({ grant_type: 'refresh_token', refresh_token: 'x' }, headers(app));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="appmeta"');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('refuses a client secret sent in the body', async () => {
    const { app } = await freshCode(true);
    const response = await token({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: app.clientId,
      client_secret: app.secret,
    });
    expect(response.status).toBe(401);
  });

  it('refuses a disabled application', async () => {
    const { exchange, app } = await freshCode(true);
    await call(`/api/v1/admin/applications/${app.clientId}`, {
      method: 'DELETE',
      headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    const response = await exchange();
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it.each([
    ['an unsupported grant type', { grant_type: 'password' }, 'unsupported_grant_type'],
    ['a missing grant type', {}, 'invalid_request'],
    [
      'a repeated parameter',
      'grant_type=refresh_token&grant_type=refresh_token',
      'invalid_request',
    ],
  ])('answers %s with an RFC 6749 error', async (_name, form, error) => {
    const { app } = await freshCode(false);
    const body =
      typeof form === 'string'
        ? `${form}&client_id=${app.clientId}`
        : new URLSearchParams({ ...form, client_id: app.clientId }).toString();
    const response = await call('/oauth/token', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({ error, error_description: expect.any(String) });
  });
});

describe('refresh tokens', () => {
  async function issued(confidential = false) {
    const account = await createAccount();
    const app = await createApp({ confidential });
    const { tokens } = await obtainTokens(account, app, ['profile'], confidential);
    const refresh = (refreshToken: string, client: TestApp = app) =>
      token({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: client.clientId,
      });
    return { app, tokens, refresh };
  }

  it('stop working once rotated, and reuse revokes the chain and the access tokens', async () => {
    const { tokens, refresh } = await issued();
    const rotated = (await (await refresh(tokens.refresh_token as string)).json()) as {
      access_token: string;
      refresh_token: string;
    };
    const reuse = await refresh(tokens.refresh_token as string);
    expect(await reuse.json()).toStrictEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
    expect((await refresh(rotated.refresh_token)).status).toBe(400);
    expect((await call('/api/v1/profile', { token: rotated.access_token })).status).toBe(401);
  });

  it('yield exactly one success among parallel refreshes', async () => {
    const { tokens, refresh } = await issued();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => refresh(tokens.refresh_token as string)),
    );
    expect(results.map((r) => r.status).sort()).toStrictEqual([200, 400, 400, 400, 400]);
  });

  it('are refused for another client and stay valid for their own', async () => {
    const { tokens, refresh } = await issued();
    const other = await createApp({ confidential: false });
    const cross = await refresh(tokens.refresh_token as string, other);
    expect(cross.status).toBe(400);
    expect((await refresh(tokens.refresh_token as string)).status).toBe(200);
  });

  it('may narrow the scope but never widen it', async () => {
    const { tokens, app } = await issued();
    const wider = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: app.clientId,
      scope: 'profile data:write',
    });
    expect(((await wider.json()) as { error: string }).error).toBe('invalid_scope');
  });
});
