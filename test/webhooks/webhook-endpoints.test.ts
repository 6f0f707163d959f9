/**
 * Webhook endpoint management (spec §13, §17): the admin mount and the self-service mount for
 * confidential applications; secrets shown once and stored encrypted; rotation; status.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/events/feed';
import { createApp } from '../helpers/factories';
import { ADMIN, registerEndpoint, webhooksPath } from '../helpers/webhooks';
import { apiError, call } from '../helpers/worker';

const SECRET = /^whsec_[A-Za-z0-9+/]{42}[A-Za-z0-9+/=]{2}$/;
const basic = (clientId: string, secret: string) => ({
  Authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
});

function endpointBody(url: string, events: string[] = [...EVENT_TYPES]) {
  return {
    id: expect.stringMatching(/^whep_/) as unknown as string,
    url,
    events,
    created_at: expect.stringMatching(/Z$/) as unknown as string,
    status: 'active',
  };
}

describe('admin webhook endpoints', () => {
  it('creates an endpoint with a whsec_ secret shown once and stored encrypted', async () => {
    const app = await createApp();
    const url = 'https://hooks.example.com/a';
    const response = await call(webhooksPath(app.clientId), {
      method: 'POST',
      headers: ADMIN,
      json: { url, events: ['activity.created'] },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = (await response.json()) as { id: string; secret: string };
    expect(body).toStrictEqual({
      ...endpointBody(url, ['activity.created']),
      secret: expect.stringMatching(SECRET),
    });
    const row = await env.DB.prepare('SELECT secret_enc FROM webhook_endpoints WHERE id = ?')
      .bind(body.id)
      .first<{ secret_enc: string }>();
    expect(row?.secret_enc).toMatch(/^v1\./);
    expect(row?.secret_enc).not.toContain(body.secret.slice(6, 20));
  });

  it('lists endpoints without secrets and deletes one with 204', async () => {
    const app = await createApp();
    const created = await registerEndpoint(app.clientId);
    const list = await call(webhooksPath(app.clientId), { headers: ADMIN });
    expect(list.status).toBe(200);
    expect(await list.json()).toStrictEqual({ data: [endpointBody(created.url)] });
    const path = `${webhooksPath(app.clientId)}/${created.id}`;
    expect((await call(path, { method: 'DELETE', headers: ADMIN })).status).toBe(204);
    expect((await call(path, { method: 'DELETE', headers: ADMIN })).status).toBe(404);
    expect(await (await call(webhooksPath(app.clientId), { headers: ADMIN })).json()).toStrictEqual(
      {
        data: [],
      },
    );
  });

  it('rotates the secret: 200 with the endpoint and a new secret, the old kept for 24 h', async () => {
    const app = await createApp();
    const created = await registerEndpoint(app.clientId);
    const response = await call(`${webhooksPath(app.clientId)}/${created.id}/secret`, {
      method: 'POST',
      headers: ADMIN,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { secret: string };
    expect(body).toStrictEqual({
      ...endpointBody(created.url),
      secret: expect.stringMatching(SECRET),
    });
    expect(body.secret).not.toBe(created.secret);
    const row = await env.DB.prepare(
      'SELECT previous_expires_at - created_at AS overlap FROM webhook_endpoints WHERE id = ?',
    )
      .bind(created.id)
      .first<{ overlap: number }>();
    expect(row?.overlap).toBeGreaterThanOrEqual(86_400);
  });

  it('disables and re-enables an endpoint with PATCH', async () => {
    const app = await createApp();
    const created = await registerEndpoint(app.clientId);
    const path = `${webhooksPath(app.clientId)}/${created.id}`;
    for (const status of ['disabled', 'active']) {
      const response = await call(path, { method: 'PATCH', headers: ADMIN, json: { status } });
      expect(response.status).toBe(200);
      expect(await response.json()).toStrictEqual({ ...endpointBody(created.url), status });
    }
  });

  it('answers 404 for an unknown application and for another application’s endpoint', async () => {
    const app = await createApp();
    const other = await createApp();
    const created = await registerEndpoint(app.clientId);
    const unknown = await call(webhooksPath('app_nope'), {
      method: 'POST',
      headers: ADMIN,
      json: { url: 'https://hooks.example.com/x' },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toStrictEqual(apiError('not_found'));
    const foreign = `${webhooksPath(other.clientId)}/${created.id}`;
    expect((await call(foreign, { method: 'DELETE', headers: ADMIN })).status).toBe(404);
  });

  it('answers 401 without the admin token', async () => {
    const app = await createApp();
    const response = await call(webhooksPath(app.clientId));
    expect(response.status).toBe(401);
  });
});

describe('self-service webhook endpoints', () => {
  it('lets a confidential app manage its own endpoints with HTTP Basic', async () => {
    const app = await createApp();
    const headers = basic(app.clientId, app.secret);
    const url = 'https://hooks.example.com/self';
    const created = await call('/api/v1/app/webhooks', { method: 'POST', headers, json: { url } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const list = await call('/api/v1/app/webhooks', { headers });
    expect(await list.json()).toStrictEqual({ data: [endpointBody(url)] });
    const admin = await call(webhooksPath(app.clientId), { headers: ADMIN });
    expect(((await admin.json()) as { data: { id: string }[] }).data[0]?.id).toBe(id);
  });

  it.each([
    [
      'a public application',
      async () => {
        const app = await createApp({ confidential: false });
        return basic(app.clientId, 'anything');
      },
    ],
    ['a wrong secret', async () => basic((await createApp()).clientId, 'wrong')],
    ['no credentials', async () => ({})],
    ['a bearer token', async () => ({ Authorization: 'Bearer abc' })],
    ['malformed Basic', async () => ({ Authorization: 'Basic !!!' })],
  ])('answers 401 invalid_client to %s', async (_label, headersOf) => {
    const response = await call('/api/v1/app/webhooks', { headers: await headersOf() });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="appmeta"');
    expect(await response.json()).toStrictEqual(apiError('invalid_client'));
  });
});
