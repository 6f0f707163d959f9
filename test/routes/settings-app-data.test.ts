/**
 * Transparency in /settings (spec §15): per authorized app, how many documents and v2 entries
 * it keeps about the user and their bytes (computed in SQL); a bounded page that shows them
 * HTML-escaped; and a CSRF-protected delete that keeps the grant, drops the app's cached views
 * and records the events a metadata delete records (spec §13).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import * as web from '../helpers/browser';
import { change, changesOf } from '../helpers/changes';
import { type Erasable, erasableAccount } from '../helpers/erasure';
import { call, serverTiming } from '../helpers/worker';

// Each test signs an account in and hashes passwords with PBKDF2 (100,000 iterations) several
// times, which takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

const dataPath = (clientId: string) => `/settings/app-data?client_id=${clientId}`;

/** erasableAccount plus a v2 entry of the first app (its document there is `{"n":0}`). */
async function withEntry() {
  const setup = await erasableAccount();
  const put = await call('/api/v2/metadata/plan', {
    method: 'PUT',
    token: setup.tokens[0],
    json: { value: 'base' },
  });
  expect(put.status).toBe(201);
  return setup;
}

async function deleteData(setup: Erasable, clientId: string, csrf?: string) {
  const html = await (await setup.browser.get(dataPath(clientId))).text();
  return setup.browser.post('/settings/app-data/delete', {
    csrf: csrf ?? web.hiddenValue(html, 'csrf'),
    client_id: clientId,
  });
}

describe('what each app keeps, in /settings', () => {
  it('shows each app’s counts and total bytes', async () => {
    const setup = await withEntry();
    const html = await (await setup.browser.get('/settings')).text();
    // {"n":0} is 7 bytes and "base" 4; the second app has only {"n":1}.
    expect(html).toContain('<div>1 document, 1 entry</div><div class="muted">11 bytes</div>');
    expect(html).toContain('<div>1 document, 0 entries</div><div class="muted">7 bytes</div>');
    expect(html).toContain(`href="${dataPath(setup.apps[0]!.clientId)}"`);
  });

  it('shows one app’s documents and entries, HTML-escaped, and no other app’s', async () => {
    const setup = await withEntry();
    const hostile = { note: '</pre><script>alert(1)</script>' };
    await call(`${setup.path}/app-metadata`, {
      method: 'PUT',
      token: setup.tokens[0],
      json: hostile,
    });
    const response = await setup.browser.get(dataPath(setup.apps[0]!.clientId));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none';/);
    const html = await response.text();
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('<code>plan</code>');
    expect(html).toContain('<pre>base</pre>');
    expect(html).not.toContain('&quot;n&quot;: 1');
  });

  it('bounds the page and says how many more there are', async () => {
    const setup = await erasableAccount();
    const now = Math.floor(Date.now() / 1000);
    const insert = env.DB.prepare(
      `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, 'v', 1, NULL, ?, ?)`,
    );
    await env.DB.batch(
      Array.from({ length: 101 }, (_, i) =>
        insert.bind(
          setup.account.id,
          setup.apps[0]!.clientId,
          `k${String(i).padStart(3, '0')}`,
          now,
          now,
        ),
      ),
    );
    const html = await (await setup.browser.get(dataPath(setup.apps[0]!.clientId))).text();
    expect(html).toContain('Showing the first 100 of 101');
    expect(html).toContain('<code>k099</code>');
    expect(html).not.toContain('<code>k100</code>');
  });

  it.each([['app_unknown'], ['not an id'], ['']])(
    'answers an app the user has not authorized (%s) 404',
    async (clientId) => {
      const setup = await erasableAccount();
      const response = await setup.browser.get(dataPath(encodeURIComponent(clientId)));
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('You have not authorized that app');
    },
  );

  it('sends a signed-out browser to /login', async () => {
    const response = await new web.Browser().get(dataPath('app_x'));
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login');
  });
});

describe('deleting one app’s data from /settings', () => {
  it('deletes its documents and entries, keeps the grant, and the next read has no document', async () => {
    const setup = await withEntry();
    const [tokenA, tokenB] = setup.tokens as [string, string];
    const response = await deleteData(setup, setup.apps[0]!.clientId);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/settings?done=app-data-deleted');
    const read = await call(setup.path, { token: tokenA });
    expect(read.status).toBe(200);
    expect(serverTiming(read).cache).toBe('miss');
    expect(await read.json()).not.toHaveProperty('app_metadata');
    expect((await call('/api/v2/metadata/plan', { token: tokenA })).status).toBe(404);
    const other = await call(`${setup.path}/app-metadata`, { token: tokenB });
    expect(await other.json()).toStrictEqual({ n: 1 });
  });

  it('records app_metadata.deleted and metadata.deleted for the app alone', async () => {
    const setup = await withEntry();
    const appA = setup.apps[0]!;
    const before = (await changesOf(setup.account.id)).length;
    await deleteData(setup, appA.clientId);
    const entityId = setup.path.split('/').pop();
    expect((await changesOf(setup.account.id)).slice(before)).toStrictEqual([
      change(appA.clientId, 'app_metadata.deleted', {
        entity_type: 'activities',
        entity_id: entityId,
      }),
      change(appA.clientId, 'metadata.deleted', { key: 'plan' }),
    ]);
  });

  it('refuses a post without the CSRF token and deletes nothing', async () => {
    const setup = await withEntry();
    const response = await deleteData(setup, setup.apps[0]!.clientId, 'forged');
    expect(response.status).toBe(403);
    const hot = await call(setup.path, { token: setup.tokens[0] });
    expect(serverTiming(hot).cache).toBe('hit');
    expect(await hot.json()).toHaveProperty('app_metadata', { n: 0 });
  });

  it('answers a delete for an app the user has not authorized 404', async () => {
    const setup = await erasableAccount();
    const page = await (await setup.browser.get('/settings')).text();
    const response = await setup.browser.post('/settings/app-data/delete', {
      csrf: web.hiddenValue(page, 'csrf'),
      client_id: 'app_unknown',
    });
    expect(response.status).toBe(404);
  });
});
