/** Ending an authorization records authorization.revoked (spec §13) for that application. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import { runScheduled } from '../helpers/scheduled';
import { call } from '../helpers/worker';
import { change, changesOf } from '../helpers/changes';

const ADMIN = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

describe('revocation change records', () => {
  it('records authorization.revoked when the user revokes the app', async () => {
    const { user, app } = await userWithApp();
    const key = await personalKey(user);
    const response = await call(`/api/v1/profile/authorizations/${app.clientId}`, {
      method: 'DELETE',
      token: key.token,
    });
    expect(response.status).toBe(204);
    expect(await changesOf(user.id)).toStrictEqual([change(app.clientId, 'authorization.revoked')]);
  });

  it('records nothing when the user revokes an app they never authorized', async () => {
    const user = await createUser();
    const app = await createApp();
    const key = await personalKey(user);
    const response = await call(`/api/v1/profile/authorizations/${app.clientId}`, {
      method: 'DELETE',
      token: key.token,
    });
    expect(response.status).toBe(404);
    expect(await changesOf(user.id)).toStrictEqual([]);
  });

  it('records authorization.revoked for every user once when an admin disables the app', async () => {
    const app = await createApp();
    const first = await createUser();
    const second = await createUser();
    await appToken(first, app);
    await appToken(second, app);
    const path = `/api/v1/admin/applications/${app.clientId}`;
    expect((await call(path, { method: 'DELETE', headers: ADMIN })).status).toBe(204);
    expect((await call(path, { method: 'DELETE', headers: ADMIN })).status).toBe(204);
    expect(await changesOf(first.id)).toStrictEqual([
      change(app.clientId, 'authorization.revoked'),
    ]);
    expect(await changesOf(second.id)).toStrictEqual([
      change(app.clientId, 'authorization.revoked'),
    ]);
  });

  it('records metadata.expired when the scheduled purge removes an expired entry', async () => {
    const { user, app } = await userWithApp();
    const past = Math.floor(Date.now() / 1000) - 10;
    await env.DB.prepare(
      `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
       VALUES (?, ?, 'old', 'v', 1, ?, ?, ?)`,
    )
      .bind(user.id, app.clientId, past, past - 100, past - 100)
      .run();
    await runScheduled();
    expect(await changesOf(user.id)).toStrictEqual([
      change(app.clientId, 'metadata.expired', { key: 'old' }),
    ]);
  });
});
