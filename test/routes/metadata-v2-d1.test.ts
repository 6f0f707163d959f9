/** v2 metadata and D1: one round trip per request (counted from outside), and D1 failing → 503. */
import { env } from 'cloudflare:workers';
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import { countingD1, failingD1 } from '../helpers/bindings';
import { userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const BASE = '/api/v2/metadata';

const requests: Array<{ name: string; method: string; path: string; json?: unknown }> = [
  { name: 'GET list', method: 'GET', path: BASE },
  { name: 'GET one', method: 'GET', path: `${BASE}/present` },
  { name: 'GET missing', method: 'GET', path: `${BASE}/absent` },
  { name: 'PUT create', method: 'PUT', path: `${BASE}/fresh`, json: { value: 'v' } },
  { name: 'PUT update', method: 'PUT', path: `${BASE}/present`, json: { value: 'w' } },
  { name: 'DELETE', method: 'DELETE', path: `${BASE}/present` },
  { name: 'DELETE missing', method: 'DELETE', path: `${BASE}/absent` },
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('D1 round trips', () => {
  it.each(requests)('$name makes exactly one D1 round trip', async (r) => {
    const { token } = await userWithApp();
    await call(`${BASE}/present`, { method: 'PUT', token, json: { value: 'v' } });
    const d1 = countingD1();
    const res = await call(r.path, {
      method: r.method,
      token,
      json: r.json,
      bindings: { DB: d1.db },
    });
    expect(res.status).toBeLessThan(500);
    expect(d1.count()).toBe(1);
  });

  it.each([
    ['an invalid key', 'PUT', `${BASE}/a%2Fb`, { value: 'v' }],
    ['an invalid body', 'PUT', `${BASE}/ok`, { value: 1 }],
    ['a past expiry', 'PUT', `${BASE}/ok`, { value: 'v', expires_at: '2020-01-01T00:00:00Z' }],
  ])('refuses %s without touching D1', async (_name, method, path, json) => {
    const { token } = await userWithApp();
    const d1 = countingD1();
    const res = await call(path, { method, token, json, bindings: { DB: d1.db } });
    expect(res.status).toBe(422);
    expect(d1.count()).toBe(0);
  });
});

describe('D1 failing', () => {
  it.each(requests)('$name answers 503 service_unavailable with Retry-After', async (r) => {
    const { token } = await userWithApp();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await call(r.path, {
      method: r.method,
      token,
      json: r.json,
      bindings: { DB: failingD1() },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('1');
    expect(await res.json()).toStrictEqual(apiError('service_unavailable'));
  });

  it('makes the scheduled purge fail loudly, logging no data', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const controller = createScheduledController({
      scheduledTime: new Date(),
      cron: '*/5 * * * *',
    });
    const ctx = createExecutionContext();
    const bindings = { ...(env as unknown as Bindings), DB: failingD1() };
    await expect(worker.scheduled(controller, bindings, ctx)).rejects.toThrow();
    await waitOnExecutionContext(ctx);
    const line = String(errors.mock.calls[0]?.[0]);
    expect(JSON.parse(line)).toStrictEqual({
      event: 'metadata_purge_failed',
      cron: '*/5 * * * *',
      cause: 'StorageUnavailableError',
    });
  });
});
