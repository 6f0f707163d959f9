/**
 * Issue 8 finding 10: /oauth/authorize bounds `state`, stores a pending request only when it
 * must wait for the user and at most AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS per address, and
 * never runs a cleanup DELETE itself (the scheduled purge does, in bounded chunks).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS } from '../../src/config';
import { purgeExpiredIdentity } from '../../src/jobs/purge-identity';
import { Database } from '../../src/storage/db';
import { Browser, createAccount } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { REDIRECT_URI, authorizeUrl, obtainCallback } from '../helpers/oauth-flow';

async function pendingFor(clientId: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM authorization_requests WHERE client_id = ?',
  )
    .bind(clientId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

function callbackParams(response: Response): Record<string, string> {
  const location = response.headers.get('Location') ?? '';
  expect(location.startsWith(REDIRECT_URI)).toBe(true);
  return Object.fromEntries(new URL(location).searchParams);
}

describe('state', () => {
  it.each([[1], [512]])('of %i characters is accepted', async (length) => {
    const app = await createApp();
    const { path } = await authorizeUrl({ app, scopes: ['profile'], state: 's'.repeat(length) });
    const response = await new Browser('198.51.100.30').get(path);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toMatch(/^\/login\?tx=/);
  });

  it.each([[513], [2048], [8000]])(
    'of %i characters goes back as invalid_request, without the state, and stores nothing',
    async (length) => {
      const app = await createApp();
      const { path } = await authorizeUrl({ app, scopes: ['profile'], state: 's'.repeat(length) });
      const response = await new Browser('198.51.100.31').get(path);
      expect(response.status).toBe(303);
      expect(callbackParams(response)).toStrictEqual({
        error: 'invalid_request',
        error_description: 'state is too long.',
        iss: 'http://localhost',
      });
      expect(await pendingFor(app.clientId)).toBe(0);
    },
  );
});

describe('pending requests', () => {
  it('are capped at a documented figure', () => {
    expect(AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS).toBe(100);
  });

  it('are not stored when a signed-in user’s grant already covers the request', async () => {
    const account = await createAccount();
    const app = await createApp();
    const first = await obtainCallback(account, { app, scopes: ['profile'] });
    const { path } = await authorizeUrl({ app, scopes: ['profile'] });
    const response = await first.browser.get(path);
    expect(callbackParams(response)).toStrictEqual({
      code: expect.any(String),
      state: expect.any(String),
      iss: 'http://localhost',
    });
    expect(await pendingFor(app.clientId)).toBe(0);
  });

  it('are capped at 100 per address: the 101st goes back as temporarily_unavailable', async () => {
    const app = await createApp();
    const { path } = await authorizeUrl({ app, scopes: ['profile'], state: 'st' });
    for (let attempt = 0; attempt < AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS; attempt += 1) {
      const response = await new Browser('198.51.100.32').get(path);
      expect(response.headers.get('Location')).toMatch(/^\/login\?tx=/);
    }
    const refused = await new Browser('198.51.100.32').get(path);
    expect(refused.status).toBe(303);
    expect(callbackParams(refused)).toStrictEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
      state: 'st',
      iss: 'http://localhost',
    });
    expect(await pendingFor(app.clientId)).toBe(AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS);
    const other = await new Browser('198.51.100.33').get(path);
    expect(other.headers.get('Location')).toMatch(/^\/login\?tx=/);
  });

  it('are not cleaned up by the authorize endpoint, but by the scheduled purge', async () => {
    const app = await createApp();
    await env.DB.prepare(
      `INSERT INTO authorization_requests (id_hash, browser_hash, client_id, redirect_uri, scopes,
         state, code_challenge, prompt_login, prompt_consent, user_id, created_at, expires_at)
       VALUES (?, 'b', ?, ?, '["profile"]', NULL, 'c', 0, 0, NULL, 1, 2)`,
    )
      .bind(`expired-${app.clientId}`, app.clientId, REDIRECT_URI)
      .run();
    const { path } = await authorizeUrl({ app, scopes: ['profile'] });
    await new Browser('198.51.100.34').get(path);
    expect(await pendingFor(app.clientId)).toBe(2);
    const report = await purgeExpiredIdentity(new Database(env.DB), Math.floor(Date.now() / 1000));
    expect(report.complete).toBe(true);
    expect(await pendingFor(app.clientId)).toBe(1);
  });
});

describe('the scheduled identity purge', () => {
  it('deletes in bounded chunks and reports what is left', async () => {
    const app = await createApp();
    const insert = env.DB.prepare(
      `INSERT INTO authorization_requests (id_hash, browser_hash, client_id, redirect_uri, scopes,
         state, code_challenge, prompt_login, prompt_consent, user_id, created_at, expires_at)
       VALUES (?, 'b', ?, ?, '["profile"]', NULL, 'c', 0, 0, NULL, 1, 2)`,
    );
    await env.DB.batch(
      [1, 2, 3, 4, 5].map((n) =>
        insert.bind(`old-${n}-${app.clientId}`, app.clientId, REDIRECT_URI),
      ),
    );
    const db = new Database(env.DB);
    const now = Math.floor(Date.now() / 1000);
    expect(await purgeExpiredIdentity(db, now, { chunkRows: 2, maxChunks: 2 })).toStrictEqual({
      deleted: 4,
      chunks: 2,
      complete: false,
    });
    expect(await purgeExpiredIdentity(db, now, { chunkRows: 2, maxChunks: 2 })).toStrictEqual({
      deleted: 1,
      chunks: 1,
      complete: true,
    });
    expect(await pendingFor(app.clientId)).toBe(0);
  });
});
