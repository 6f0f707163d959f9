/**
 * Webhook URL and events rules (spec §13, §17; security.md SSRF): https only; http only to a
 * loopback host while the issuer is loopback; private, loopback, link-local and metadata
 * targets refused outside development; unknown event types refused. All 422, never a 5xx.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../helpers/factories';
import { ADMIN, registerEndpoint, webhooksPath } from '../helpers/webhooks';
import { apiError, call } from '../helpers/worker';

const PRODUCTION = { ISSUER: 'https://api.appmeta.example' };

async function refused(json: unknown, bindings: Record<string, unknown>, field: string) {
  const app = await createApp();
  const response = await call(webhooksPath(app.clientId), {
    method: 'POST',
    headers: ADMIN,
    json,
    bindings,
  });
  expect(response.status).toBe(422);
  expect(await response.json()).toStrictEqual(
    apiError('validation_error', { details: { [field]: expect.any(String) } }),
  );
}

describe('webhook URL rules in production', () => {
  it.each([
    'http://hooks.example.com/x',
    'http://127.0.0.1:9401/hook',
    'https://127.0.0.1/hook',
    'https://127.1/hook',
    'https://2130706433/hook',
    'https://0x7f000001/hook',
    'https://10.0.0.8/hook',
    'https://172.16.5.4/hook',
    'https://192.168.1.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://224.0.0.1/hook',
    'https://[::1]/hook',
    'https://[::]/hook',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a00:1]/hook',
    'https://localhost/hook',
    'https://api.localhost/hook',
    'https://printer.local/hook',
    'https://metadata.google.internal/computeMetadata',
    'https://intranet/hook',
    'https://user:pass@hooks.example.com/x',
    'ftp://hooks.example.com/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    '/relative/path',
    'not a url',
    '',
    `https://hooks.example.com/${'a'.repeat(2100)}`,
  ])('refuses %s with 422 naming url', async (url) => {
    await refused({ url }, PRODUCTION, 'url');
  });

  it('accepts a public https URL', async () => {
    const app = await createApp();
    const response = await call(webhooksPath(app.clientId), {
      method: 'POST',
      headers: ADMIN,
      json: { url: 'https://hooks.example.com/appmeta' },
      bindings: PRODUCTION,
    });
    expect(response.status).toBe(201);
  });
});

describe('webhook URL rules in development', () => {
  it.each(['http://127.0.0.1:9401/hook', 'http://localhost:9401/hook', 'http://[::1]:9401/h'])(
    'accepts http to the loopback host %s while the issuer is loopback',
    async (url) => {
      const app = await createApp();
      expect((await registerEndpoint(app.clientId, { url })).url).toBe(url);
    },
  );

  it.each(['http://hooks.example.com/x', 'http://10.0.0.8/hook', 'ws://127.0.0.1/x'])(
    'refuses %s even in development',
    async (url) => {
      await refused({ url }, {}, 'url');
    },
  );
});

describe('webhook body rules', () => {
  it.each([
    [{ url: 'https://hooks.example.com/x', events: ['activity.exploded'] }, 'events'],
    [{ url: 'https://hooks.example.com/x', events: ['__proto__'] }, 'events'],
    [{ url: 'https://hooks.example.com/x', events: [] }, 'events'],
    [{ url: 'https://hooks.example.com/x', events: 'activity.created' }, 'events'],
    [{ url: 'https://hooks.example.com/x', events: [1] }, 'events.0'],
    [{ events: ['activity.created'] }, 'url'],
    [{ url: 42 }, 'url'],
    [[], '(body)'],
  ])('refuses %j with 422', async (json, field) => {
    await refused(json, {}, field);
  });

  it('answers 400 invalid_json to a malformed body', async () => {
    const app = await createApp();
    const response = await call(webhooksPath(app.clientId), {
      method: 'POST',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: '{"url":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual(
      apiError('invalid_json', { hint: expect.any(String) }),
    );
  });
});
