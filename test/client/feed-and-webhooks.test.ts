/**
 * The v2 key/value store, the change feed as a stream, webhook verification against
 * deliveries the Worker signed, and the read-your-writes bookmark, through the client.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppmetaError } from '../../packages/client/src/index';
import { userWithApp } from '../helpers/factories';
import { feedEvent } from '../helpers/feed';
import { RecordingQueue, consume, registerEndpoint } from '../helpers/webhooks';
import { clientWithKey, collect, rejection } from './helpers';

const ride = { sport: 'running' as const, start: '2026-05-01T10:00:00Z', duration: 1800 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('v2 metadata', () => {
  it('sets, reads, lists and deletes entries', async () => {
    const { token } = await userWithApp();
    const { client } = clientWithKey(token);
    const later = new Date(Date.now() + 86_400_000);
    expect(await client.metadata.set('plan', 'base')).toStrictEqual({
      key: 'plan',
      value: 'base',
      expires_at: null,
    });
    const session = await client.metadata.set('session.id', 's-1', { expiresAt: later });
    expect(session).toStrictEqual({
      key: 'session.id',
      value: 's-1',
      expires_at: expect.any(String),
    });
    expect(Date.parse(session.expires_at!)).toBe(Math.floor(later.getTime() / 1000) * 1000);
    expect(await client.metadata.get('plan')).toStrictEqual({
      key: 'plan',
      value: 'base',
      expires_at: null,
    });
    expect((await client.metadata.list()).map((entry) => entry.key).sort()).toStrictEqual([
      'plan',
      'session.id',
    ]);
    await client.metadata.delete('plan');
    expect(await client.metadata.get('plan')).toBeNull();
  });

  it('rejects a delete of a key that does not exist with 404 not_found', async () => {
    const { token } = await userWithApp();
    const error = await rejection(clientWithKey(token).client.metadata.delete('absent'));
    expect({ status: error.status, errorCode: error.errorCode }).toStrictEqual({
      status: 404,
      errorCode: 'not_found',
    });
  });

  it('names the field of a 422 validation_error in details', async () => {
    const { token } = await userWithApp();
    const error = await rejection(clientWithKey(token).client.metadata.set('bad key!', 'x'));
    expect({
      status: error.status,
      errorCode: error.errorCode,
      details: error.details,
    }).toStrictEqual({
      status: 422,
      errorCode: 'validation_error',
      details: { key: expect.any(String) },
    });
  });
});

describe('changes.stream', () => {
  it('yields the events in commit order and ends at the head', async () => {
    const { token, user } = await userWithApp();
    const { client } = clientWithKey(token);
    const activity = await client.activities.create(ride);
    await client.metadata.set('plan', 'base');
    expect(await collect(client.changes.stream())).toStrictEqual([
      feedEvent('activity.created', {
        user_id: user.id,
        entity_type: 'activities',
        entity_id: activity.id,
      }),
      feedEvent('metadata.updated', { user_id: user.id, key: 'plan' }),
    ]);
  });

  it('walks pages of limit and resumes from its cursor without loss or repeats', async () => {
    const { token } = await userWithApp();
    const { client, log } = clientWithKey(token);
    for (let n = 0; n < 5; n += 1) await client.metadata.set(`k${n}`, 'v');
    const stream = client.changes.stream({ limit: 2 });
    const first = (await collect(stream)).map((event) => event.data.key);
    expect(first).toStrictEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(log.filter((entry) => entry.url.pathname === '/api/v1/changes')).toHaveLength(3);
    await client.metadata.set('k5', 'v');
    const resumed = client.changes.stream({ after: stream.cursor });
    expect((await collect(resumed)).map((event) => event.data.key)).toStrictEqual(['k5']);
    expect(await collect(client.changes.stream({ after: resumed.cursor }))).toStrictEqual([]);
  });

  it('keeps polling at the head when following, until aborted', async () => {
    const { token } = await userWithApp();
    const { client } = clientWithKey(token);
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const event of client.changes.stream({
        follow: true,
        pollIntervalMs: 10,
        signal: controller.signal,
      })) {
        seen.push(event.data.key ?? '');
        if (seen.length === 2) controller.abort();
      }
    })();
    await client.metadata.set('a', '1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.metadata.set('b', '2');
    await following;
    expect(seen).toStrictEqual(['a', 'b']);
  });

  it('rejects a malformed cursor with 400 validation_error', async () => {
    const { token } = await userWithApp();
    const error = await rejection(
      collect(clientWithKey(token).client.changes.stream({ after: '%%%' })),
    );
    expect({ status: error.status, errorCode: error.errorCode }).toStrictEqual({
      status: 400,
      errorCode: 'validation_error',
    });
  });
});

describe('webhooks.verify', () => {
  /** A delivery the Worker signed and posted for a v2 write, as the receiver got it. */
  async function signedDelivery() {
    const queue = new RecordingQueue();
    const bindings = { WEBHOOK_QUEUE: queue };
    const { token, user, app } = await userWithApp();
    const endpoint = await registerEndpoint(app.clientId);
    const { client } = clientWithKey(token, {}, bindings);
    await client.metadata.set('plan', 'base');
    await consume([{ body: { kind: 'pump' } }], bindings);
    const received: Request[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      received.push(new Request(input as RequestInfo, init));
      return new Response(null, { status: 204 });
    });
    await consume(
      queue.deliveries().map((body) => ({ body })),
      bindings,
    );
    const request = received[0]!;
    return {
      client,
      user,
      secret: endpoint.secret,
      body: await request.text(),
      headers: request.headers,
    };
  }

  it('returns the event of a delivery the Worker signed', async () => {
    const { client, user, secret, body, headers } = await signedDelivery();
    expect(client.webhooks.verify(body, headers, secret)).toStrictEqual(
      feedEvent('metadata.updated', { user_id: user.id, key: 'plan' }),
    );
    expect(client.webhooks.verify(body, Object.fromEntries(headers), secret)).toStrictEqual(
      JSON.parse(body),
    );
  });

  it.each([
    [
      'a changed body',
      (body: string) => body.replace('plan', 'plam'),
      (h: Headers) => h,
      undefined,
    ],
    [
      'another secret',
      (body: string) => body,
      (h: Headers) => h,
      'whsec_' + btoa('another-secret-of-24-bytes!'),
    ],
    [
      'a missing signature',
      (body: string) => body,
      (h: Headers) => {
        const copy = new Headers(h);
        copy.delete('webhook-signature');
        return copy;
      },
      undefined,
    ],
  ])('throws invalid_signature for %s', async (_case, alterBody, alterHeaders, otherSecret) => {
    const { client, secret, body, headers } = await signedDelivery();
    let error: unknown;
    try {
      client.webhooks.verify(alterBody(body), alterHeaders(headers), otherSecret ?? secret);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppmetaError);
    expect(error).toMatchObject({ errorCode: 'invalid_signature' });
  });
});

describe('Appmeta-Bookmark', () => {
  it('sends back the newest bookmark it received', async () => {
    const { token } = await userWithApp();
    const { client, log } = clientWithKey(token);
    expect(await client.metadata.get('absent')).toBeNull();
    expect(log[0]!.headers.get('Appmeta-Bookmark')).toBeNull();
    await client.metadata.set('plan', 'base');
    const written = log[1]!.answer!.get('Appmeta-Bookmark');
    expect(written).toEqual(expect.any(String));
    await client.metadata.get('plan');
    expect(log[2]!.headers.get('Appmeta-Bookmark')).toBe(
      [log[0]!.answer!.get('Appmeta-Bookmark')!, written!].sort().at(-1),
    );
  });
});
