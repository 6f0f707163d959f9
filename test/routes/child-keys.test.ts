/**
 * spec §11: a key created by a key gets at most its parent's lifetime: a later expiry is cut
 * to the parent's; none asked for gives the parent's, or 90 days when the parent never expires
 * (issue: a key expiring in an hour could mint a key with no expiry).
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createUser, personalKey } from '../helpers/factories';
import { call } from '../helpers/worker';

const HOUR = 3600;
const DAY = 86_400;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A key whose row expires at `expiresAt` (null: never), holding account and profile. */
async function parentKey(expiresAt: number | null) {
  const key = await personalKey(await createUser(), ['profile', 'account'], { expiresAt });
  return key.token;
}

async function mint(token: string, expiresAt?: number | null) {
  const json: Record<string, unknown> = { name: 'child', scopes: ['profile'] };
  if (expiresAt !== undefined)
    json.expires_at = expiresAt === null ? null : new Date(expiresAt * 1000).toISOString();
  const response = await call('/api/v1/profile/api-keys', { method: 'POST', token, json });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { token: string; expires_at: string | null };
  const seconds = body.expires_at === null ? null : Date.parse(body.expires_at) / 1000;
  return { seconds, exp: decodeJwt(body.token).exp };
}

describe('keys minted by a key', () => {
  it('get the parent’s expiry when none is asked for', async () => {
    const parentExpiry = nowSeconds() + HOUR;
    const child = await mint(await parentKey(parentExpiry));
    expect(child).toStrictEqual({ seconds: parentExpiry, exp: parentExpiry });
  });

  it('never outlive the parent when asked for a later expiry', async () => {
    const parentExpiry = nowSeconds() + HOUR;
    const child = await mint(await parentKey(parentExpiry), parentExpiry + 30 * DAY);
    expect(child).toStrictEqual({ seconds: parentExpiry, exp: parentExpiry });
  });

  it('keep an earlier expiry they ask for', async () => {
    const parentExpiry = nowSeconds() + DAY;
    const wanted = nowSeconds() + HOUR;
    const child = await mint(await parentKey(parentExpiry), wanted);
    expect(child).toStrictEqual({ seconds: wanted, exp: wanted });
  });

  it('expire in 90 days when the parent never expires and none is asked for', async () => {
    const before = nowSeconds();
    const child = await mint(await parentKey(null), null);
    expect(child.seconds).toBeGreaterThanOrEqual(before + 90 * DAY);
    expect(child.seconds).toBeLessThanOrEqual(nowSeconds() + 90 * DAY);
    expect(child.exp).toBe(child.seconds);
  });
});
