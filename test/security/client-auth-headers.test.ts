/**
 * Hostile Authorization headers at the token and revocation endpoints: a client that attempts
 * HTTP Basic and gets it wrong is refused 401 invalid_client with a Basic challenge and
 * no-store (RFC 6749 §2.3.1, §5.2), never treated as sending no credentials.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../helpers/factories';
import { call } from '../helpers/worker';

const headers = [
  ['a bare Basic scheme', 'Basic'],
  ['Basic with only spaces', 'Basic   '],
  ['Basic with characters outside base64', 'Basic !!!'],
  ['Basic without a colon', `Basic ${btoa('no-colon')}`],
  ['Basic with a bad percent-escape', `Basic ${btoa('%zz:secret')}`],
  ['Basic with a very long value', `Basic ${'QUFB'.repeat(5000)}`],
];

describe.each(['/oauth/token', '/oauth/revoke'])('%s', (path) => {
  it.each(headers)('refuses %s with 401 invalid_client', async (_name, authorization) => {
    const app = await createApp({ confidential: false });
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      token: 'x',
      client_id: app.clientId,
    });
    const response = await call(path, {
      method: 'POST',
      body: body.toString(),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: authorization,
      },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="appmeta"');
    expect(await response.json()).toStrictEqual({
      error: 'invalid_client',
      error_description: expect.any(String),
    });
  });
});
