/**
 * The client's OAuth side against the real authorization server: the code flow through a real
 * login and consent, refresh before expiry and after a 401, single-flight refresh under
 * concurrency, and `onTokens` on every rotation (spec §16, §17).
 */
import { describe, expect, it } from 'vitest';
import { Appmeta } from '../../packages/client/src/index';
import { createAccount } from '../helpers/browser';
import { appToken, createApp } from '../helpers/factories';
import { REDIRECT_URI, basicAuth } from '../helpers/oauth-flow';
import { ALL_SCOPES } from '../helpers/scopes';
import { ORIGIN, call } from '../helpers/worker';
import { oauthClient, recordingFetch, rejection, signedInClient, tokenCalls } from './helpers';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('authorization code flow', () => {
  it('builds an authorization URL with PKCE S256, the state and the scopes', async () => {
    const app = await createApp();
    const client = new Appmeta({
      baseUrl: ORIGIN,
      fetch: recordingFetch().fetch,
      oauth: { clientId: app.clientId, redirectUri: REDIRECT_URI },
    });
    const request = await client.authorizationUrl({
      scope: ['profile', 'data:read'],
      prompt: 'consent',
    });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${ORIGIN}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toStrictEqual({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'profile data:read',
      state: request.state,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
    expect(request.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it('signs a user in through login and consent and calls the API with the tokens', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { client, tokens, seen } = await signedInClient(account, app);
    expect(tokens).toStrictEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_at: expect.any(Number),
    });
    expect(tokens.expires_at - nowSeconds()).toBeGreaterThan(3500);
    expect(seen).toStrictEqual([tokens]);
    expect(client.tokens).toStrictEqual(tokens);
    expect(await client.profile.get()).toStrictEqual({
      id: account.id,
      email: account.email,
      first_name: 'Grace',
      last_name: 'Climber',
      display_name: expect.any(String),
      registered_at: expect.any(String),
    });
  });

  it('refuses a callback whose state is not the one it issued', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { client, request, callback } = await signedInClient(account, app);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state');
    const error = await rejection(client.exchangeCode(forged, request));
    expect(error).toMatchObject({ status: 0, errorCode: 'invalid_callback' });
  });

  it('maps a code that was already redeemed to invalid_grant', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { client, request, callback } = await signedInClient(account, app);
    const error = await rejection(client.exchangeCode(callback, request));
    expect(error).toMatchObject({ status: 400, errorCode: 'invalid_grant' });
  });

  it('keeps the error a denied consent sent back to the callback', async () => {
    const app = await createApp();
    const client = new Appmeta({
      baseUrl: ORIGIN,
      fetch: recordingFetch().fetch,
      oauth: { clientId: app.clientId, redirectUri: REDIRECT_URI },
    });
    const request = await client.authorizationUrl({ scope: 'profile' });
    const denied = new URL(REDIRECT_URI);
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', request.state);
    denied.searchParams.set('iss', ORIGIN);
    const error = await rejection(client.exchangeCode(denied, request));
    expect(error).toMatchObject({ errorCode: 'access_denied' });
  });
});

describe('token refresh', () => {
  it('makes exactly one refresh for 20 concurrent calls when the token is about to expire', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const { client, log, rotated } = oauthClient(app, {
      ...tokens,
      expires_at: nowSeconds() + 5,
    });
    const profiles = await Promise.all(Array.from({ length: 20 }, () => client.profile.get()));
    expect(new Set(profiles.map((profile) => profile.id))).toStrictEqual(new Set([account.id]));
    expect(tokenCalls(log)).toHaveLength(1);
    expect(rotated).toHaveLength(1);
    expect(rotated[0]!.refresh_token).not.toBe(tokens.refresh_token);
    expect(client.tokens).toStrictEqual(rotated[0]);
  });

  it('makes exactly one refresh for 20 concurrent calls whose token the server finds expired', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const expired = await appToken(account, app, ALL_SCOPES, { now: nowSeconds() - 7200 });
    const { client, log, rotated } = oauthClient(app, { ...tokens, access_token: expired });
    const profiles = await Promise.all(Array.from({ length: 20 }, () => client.profile.get()));
    expect(profiles.every((profile) => profile.id === account.id)).toBe(true);
    expect(tokenCalls(log)).toHaveLength(1);
    expect(rotated).toHaveLength(1);
    const retried = log.filter((entry) => entry.url.pathname === '/api/v1/profile');
    expect(retried).toHaveLength(40);
  });

  it('keeps the rotated pair working: later calls make no further refresh', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const { client, log, rotated } = oauthClient(app, { ...tokens, expires_at: 0 });
    await client.profile.get();
    await Promise.all([client.profile.get(), client.activities.get('act_missing')]);
    expect(tokenCalls(log)).toHaveLength(1);
    expect(rotated).toHaveLength(1);
  });

  it('gives onTokens every rotated pair, each a new refresh token', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const { client, rotated } = oauthClient(app, tokens);
    const second = await client.refresh();
    const third = await client.refresh();
    expect(rotated).toStrictEqual([second, third]);
    expect(new Set([tokens.refresh_token, second.refresh_token, third.refresh_token]).size).toBe(3);
    expect(await client.profile.get()).toMatchObject({ id: account.id });
  });

  it('rejects with invalid_grant when the refresh token was revoked', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const revoked = await call('/oauth/revoke', {
      method: 'POST',
      headers: {
        Authorization: basicAuth(app),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: tokens.refresh_token }).toString(),
    });
    expect(revoked.status).toBe(200);
    const { client } = oauthClient(app, { ...tokens, expires_at: 0 });
    const error = await rejection(client.profile.get());
    expect(error).toMatchObject({ status: 400, errorCode: 'invalid_grant' });
  });

  it('shares one refresh between two clients holding the same tokens', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const clients = [
      oauthClient(app, { ...tokens, expires_at: 0 }),
      oauthClient(app, { ...tokens, expires_at: 0 }),
    ];
    await Promise.all(
      clients.flatMap(({ client }) => Array.from({ length: 10 }, () => client.profile.get())),
    );
    expect(tokenCalls(clients.flatMap(({ log }) => log))).toHaveLength(1);
    expect(clients[1]!.rotated).toStrictEqual(clients[0]!.rotated);
  });

  it('hands a client created later with the spent tokens the new pair, never presenting them again', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { tokens } = await signedInClient(account, app);
    const first = oauthClient(app, tokens);
    const fresh = await first.client.refresh();
    const late = oauthClient(app, { ...tokens, expires_at: 0 });
    expect(await late.client.profile.get()).toMatchObject({ id: account.id });
    expect(tokenCalls(late.log)).toStrictEqual([]);
    expect(late.rotated).toStrictEqual([fresh]);
    expect(await first.client.profile.get()).toMatchObject({ id: account.id });
  });
});
