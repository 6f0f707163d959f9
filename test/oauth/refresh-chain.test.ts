/**
 * Issue 8 finding 12: a refresh-token chain ends REFRESH_CHAIN_MAX_LIFETIME_SECONDS (90 days)
 * after the authorization that began it. The start travels in the family id.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { REFRESH_CHAIN_MAX_LIFETIME_SECONDS, REFRESH_TOKEN_TTL_SECONDS } from '../../src/config';
import { sha256 } from '../../src/ids';
import { chainEndsAt, newFamilyId, refreshExpiry } from '../../src/oauth/refresh-chain';
import { createAccount } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { obtainTokens } from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

const DAY = 24 * 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function chain() {
  const app = await createApp({ confidential: false });
  const { tokens } = await obtainTokens(await createAccount(), app, ['profile'], false);
  return { app, refreshToken: tokens.refresh_token as string };
}

async function rowOf(refreshToken: string) {
  return env.DB.prepare(
    'SELECT family_id, expires_at, revoked_at FROM refresh_tokens WHERE token_hash = ?',
  )
    .bind(await sha256(refreshToken))
    .first<{ family_id: string; expires_at: number; revoked_at: number | null }>();
}

/** Pretends the chain of `refreshToken` began at `start`. */
async function startedAt(refreshToken: string, familyId: string) {
  const row = await rowOf(refreshToken);
  await env.DB.prepare('UPDATE refresh_tokens SET family_id = ? WHERE family_id = ?')
    .bind(familyId, row?.family_id)
    .run();
}

function refresh(clientId: string, refreshToken: string) {
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

describe('the refresh-chain lifetime', () => {
  it('starts with the code exchange: the first refresh token lives its usual 30 days', async () => {
    const { refreshToken } = await chain();
    const row = await rowOf(refreshToken);
    expect(row?.family_id).toMatch(/^rtf_\d+_/);
    expect(row?.expires_at).toBeGreaterThanOrEqual(nowSeconds() + REFRESH_TOKEN_TTL_SECONDS - 5);
  });

  it('refuses a refresh past the end of the chain with invalid_grant, revoking nothing', async () => {
    const { app, refreshToken } = await chain();
    await startedAt(refreshToken, `rtf_${nowSeconds() - 90 * DAY - 1}_abc`);
    const response = await refresh(app.clientId, refreshToken);
    expect(response.status).toBe(400);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toStrictEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
    expect((await rowOf(refreshToken))?.revoked_at).toBeNull();
  });

  it('never lets a successor outlive the chain', async () => {
    const { app, refreshToken } = await chain();
    const start = nowSeconds() - 90 * DAY + 100;
    await startedAt(refreshToken, `rtf_${start}_abc`);
    const response = await refresh(app.clientId, refreshToken);
    expect(response.status).toBe(200);
    const { refresh_token: next } = (await response.json()) as { refresh_token: string };
    expect((await rowOf(next))?.expires_at).toBe(start + REFRESH_CHAIN_MAX_LIFETIME_SECONDS);
  });

  it('ends a chain begun before chains had a lifetime (no start in its family id)', async () => {
    const { app, refreshToken } = await chain();
    await startedAt(refreshToken, 'rtf_legacyfamilyid0000');
    expect((await refresh(app.clientId, refreshToken)).status).toBe(400);
  });
});

describe('refresh-chain arithmetic', () => {
  it('reads the start written by newFamilyId', () => {
    expect(chainEndsAt(newFamilyId(1_000))).toBe(1_000 + REFRESH_CHAIN_MAX_LIFETIME_SECONDS);
  });

  it.each([['rtf_abc'], ['rtf__x'], ['rtf_1234567890123_x'], ['app_123_x'], ['']])(
    'finds no start in %j',
    (familyId) => {
      expect(chainEndsAt(familyId)).toBeNull();
    },
  );

  it('caps an expiry at the end of the chain', () => {
    expect(refreshExpiry(1_000, 5_000)).toBe(5_000);
    expect(refreshExpiry(1_000, 10 ** 10)).toBe(1_000 + REFRESH_TOKEN_TTL_SECONDS);
  });
});
