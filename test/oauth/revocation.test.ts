/** RFC 7009 revocation and RFC 8414 metadata. */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { authorizationServer, clientAuth, fetchOptions, obtainTokens } from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

async function revoke(clientId: string, token: string, hint?: string) {
  return call('/oauth/revoke', {
    method: 'POST',
    body: new URLSearchParams({
      client_id: clientId,
      token,
      ...(hint ? { token_type_hint: hint } : {}),
    }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

async function refresh(clientId: string, refreshToken: string) {
  return call('/oauth/token', {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
    }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

async function issued() {
  const account = await createAccount();
  const app = await createApp({ confidential: false });
  const { tokens } = await obtainTokens(account, app, ['profile'], false);
  return { app, access: tokens.access_token, refreshToken: tokens.refresh_token as string };
}

describe('revocation', () => {
  it('of a refresh token ends the chain and the access tokens (through oauth4webapi)', async () => {
    const { app, access, refreshToken } = await issued();
    const as = await authorizationServer();
    const response = await oauth.revocationRequest(
      as,
      { client_id: app.clientId },
      clientAuth(app, false),
      refreshToken,
      fetchOptions,
    );
    await oauth.processRevocationResponse(response);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect((await refresh(app.clientId, refreshToken)).status).toBe(400);
    expect((await call('/api/v1/profile', { token: access })).status).toBe(401);
  });

  it('of an access token makes it fail at once, hot reads included, while refreshing continues', async () => {
    const { app, access, refreshToken } = await issued();
    expect((await call('/api/v1/profile', { token: access })).status).toBe(200);
    expect((await call('/api/v1/profile', { token: access })).status).toBe(200);
    expect((await revoke(app.clientId, access, 'access_token')).status).toBe(200);
    const after = await call('/api/v1/profile', { token: access });
    expect(after.status).toBe(401);
    const renewed = (await (await refresh(app.clientId, refreshToken)).json()) as {
      access_token: string;
    };
    expect((await call('/api/v1/profile', { token: renewed.access_token })).status).toBe(200);
  });

  it('by another client answers 200 and leaves the token valid', async () => {
    const { app, access, refreshToken } = await issued();
    const other = await createApp({ confidential: false });
    expect((await revoke(other.clientId, refreshToken)).status).toBe(200);
    expect((await revoke(other.clientId, access)).status).toBe(200);
    expect((await call('/api/v1/profile', { token: access })).status).toBe(200);
    expect((await refresh(app.clientId, refreshToken)).status).toBe(200);
  });

  it.each([['garbage'], ['a.b.c'], ['']])(
    'of an unknown token %j answers 200 (or invalid_request when empty)',
    async (token) => {
      const app = await createApp({ confidential: false });
      const response = await revoke(app.clientId, token);
      expect(response.status).toBe(token === '' ? 400 : 200);
    },
  );

  it('requires client authentication', async () => {
    const { refreshToken } = await issued();
    const response = await call('/oauth/revoke', {
      method: 'POST',
      body: new URLSearchParams({ token: refreshToken }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(401);
  });
});

describe('authorization server metadata', () => {
  it('lists the endpoints, S256 and the grants, with the tokens’ issuer', async () => {
    const response = await call('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({
      issuer: 'http://localhost',
      authorization_endpoint: 'http://localhost/oauth/authorize',
      token_endpoint: 'http://localhost/oauth/token',
      revocation_endpoint: 'http://localhost/oauth/revoke',
      jwks_uri: 'http://localhost/.well-known/jwks.json',
      scopes_supported: ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
      authorization_response_iss_parameter_supported: true,
      prompt_values_supported: ['login', 'consent', 'none'],
      service_documentation: 'http://localhost/docs',
    });
  });
});
