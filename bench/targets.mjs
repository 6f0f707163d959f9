/**
 * What the benchmark measures: one description per target. A target names its server, method
 * and path (or a per-request `nextPath` for rotating ids), its body, what every response must
 * look like (`expect`), and optional hooks: `prepare` (once, before the probe), `warm` (before
 * every round) and `check` (the probe's body). `optional` targets whose probe answers 404
 * (route absent on this branch) are skipped with a note; `variant` targets (profiling aids)
 * run only with --variants. `pair` marks the targets whose throughput ratios are the headline
 * (`measured` over `floor`, and over `floor0`): they run side by side in every round.
 */

const HOT_DOCUMENT = { plan: 'tempo', zones: [2, 3], coach: { id: 'c_1', note: 'steady' } };
const PUT_DOCUMENT = { lap: 1, felt: 'good' };
const HIT = 'cache;desc="hit", d1;desc="0"';
const MISS = 'cache;desc="miss", d1;desc="1"';

/** Polls until the hot read is served from KV (refills land in waitUntil, after the response). */
async function untilHit(ctx, send, path) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const res = await send('app', { method: 'GET', path, token: ctx.token });
    if (res.headers.get('server-timing')?.includes(HIT)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} never became a cache hit`);
}

function expectJsonStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}, expected ${status}`);
}

export const targets = [
  {
    id: 'a',
    name: 'GET /health',
    server: 'app',
    method: 'GET',
    path: () => '/health',
    auth: false,
    expect: { status: [200] },
  },
  {
    id: 'b',
    name: 'reference: verify + 1 KV get',
    server: 'reference',
    method: 'GET',
    path: () => '/ref',
    expect: { status: [200] },
    pair: 'floor',
  },
  {
    id: 'b0',
    name: 'reference: 1 KV get, no verification',
    server: 'reference',
    method: 'GET',
    path: () => '/kv',
    auth: false,
    expect: { status: [200] },
    pair: 'floor0',
  },
  {
    id: 'a0',
    name: 'reference: /ping, no token, no KV',
    server: 'reference',
    method: 'GET',
    path: () => '/ping',
    auth: false,
    expect: { status: [200] },
    variant: true,
  },
  {
    id: 'b4',
    name: 'reference: verify + bulk get of 4 JSON keys',
    server: 'reference',
    method: 'GET',
    path: () => '/ref4',
    expect: { status: [200] },
    variant: true,
  },
  {
    id: 'c',
    name: 'hot GET activity + metadata',
    server: 'app',
    method: 'GET',
    path: (ctx) => `/api/v1/activities/${ctx.hotId}`,
    expect: { status: [200], timing: HIT },
    pair: 'measured',
    async prepare(ctx, send) {
      const path = `/api/v1/activities/${ctx.hotId}/app-metadata`;
      const put = await send('app', { method: 'PUT', path, token: ctx.token, body: HOT_DOCUMENT });
      expectJsonStatus(put, 200, `PUT ${path}`);
    },
    warm: (ctx, send) => untilHit(ctx, send, `/api/v1/activities/${ctx.hotId}`),
    check(body) {
      const metadata = JSON.stringify(JSON.parse(body).app_metadata);
      if (metadata !== JSON.stringify(HOT_DOCUMENT)) throw new Error('hot read lacks app_metadata');
    },
  },
  {
    id: 'd',
    name: 'cold GET activity (new id each)',
    server: 'app',
    method: 'GET',
    nextPath: (ctx) => `/api/v1/activities/${ctx.coldIds.next()}`,
    expect: { status: [200], timing: MISS },
  },
  {
    id: 'l',
    name: 'GET list of 10 activities',
    server: 'app',
    method: 'GET',
    path: () => '/api/v1/activities?limit=10',
    expect: { status: [200], timing: 'cache;desc="bypass", d1;desc="1"' },
    check(body) {
      if (JSON.parse(body).length !== 10) throw new Error('the list did not hold 10 items');
    },
  },
  {
    id: 'e',
    name: 'PUT activity app-metadata',
    server: 'app',
    method: 'PUT',
    path: (ctx) => `/api/v1/activities/${ctx.putId}/app-metadata`,
    body: () => PUT_DOCUMENT,
    expect: { status: [200], timing: 'd1;desc="1"' },
  },
  {
    id: 'e-webhook',
    name: 'PUT activity app-metadata, webhook endpoint registered',
    server: 'app',
    method: 'PUT',
    token: (ctx) => ctx.webhook.token,
    path: (ctx) => `/api/v1/activities/${ctx.webhook.putId}/app-metadata`,
    body: () => PUT_DOCUMENT,
    expect: { status: [200], timing: 'd1;desc="1"' },
  },
  {
    id: 'v2-put',
    name: 'v2 PUT /api/v2/metadata/{key}',
    server: 'app',
    method: 'PUT',
    path: () => '/api/v2/metadata/bench.put',
    body: () => ({ value: 'tempo-ride-42' }),
    expect: { status: [200, 201], timing: 'd1;desc="1"' },
  },
  {
    id: 'v2-get',
    name: 'v2 GET /api/v2/metadata/{key}',
    server: 'app',
    method: 'GET',
    path: () => '/api/v2/metadata/bench.get',
    expect: { status: [200], timing: 'cache;desc="bypass", d1;desc="1"' },
    async prepare(ctx, send) {
      const body = { value: 'stored-for-reads' };
      // A 404 means the v2 routes are absent: the probe that follows then skips this target.
      const put = await send('app', {
        method: 'PUT',
        path: '/api/v2/metadata/bench.get',
        token: ctx.token,
        body,
      });
      if (![200, 201, 404].includes(put.status)) expectJsonStatus(put, 201, 'v2 PUT for reads');
    },
  },
  ...syncTargets(),
];

/**
 * Sync lists (spec §14, issue 8 finding 1) on the second user's 10,000 activities
 * (bench/seed.mjs seedSyncUser): the plain list, the metadata filters, page 50 and the worst
 * permitted tag query. Each names its `baseline`; run.mjs prints the cost ratio (baseline req/s
 * over the target's) per round. Targets issue 10 sets: filtered lists ≤ 1.5×, page 50 ≤ 1.2×.
 */
function syncTargets() {
  const list = (id, name, query, baseline) => ({
    id,
    name,
    server: 'app',
    method: 'GET',
    path: (ctx) => `/api/v1/activities?${typeof query === 'function' ? query(ctx) : query}`,
    token: (ctx) => ctx.sync.token,
    expect: { status: [200], timing: 'd1;desc="1"' },
    optional: true,
    baseline,
    check(body) {
      if (JSON.parse(body).length !== 100) throw new Error(`${name}: expected a full page of 100`);
    },
  });
  const tags = 't0,t1,t2,t3,t4,t5,t6,t7,t8,t9';
  const rare = 'x0,x1,x2,x3,x4,x5,x6,x7,x8,x9';
  return [
    list('s0', 'sync: GET activities?limit=100', 'limit=100'),
    list('s1', 'sync: app_metadata.missing=done', 'app_metadata.missing=done&limit=100', 's0'),
    list('s2', 'sync: app_metadata.plan=base', 'app_metadata.plan=base&limit=100', 's0'),
    list(
      's3',
      'sync: page 50 by cursor',
      (ctx) => `limit=100&cursor=${ctx.sync.page50Cursor}`,
      's0',
    ),
    list('s4', 'sync: tags= ten values, all matching', `tags=${tags}&limit=100`, 's0'),
    {
      ...list('s5', 'sync: tags= ten values, none matching', `tags=${rare}&limit=100`, 's0'),
      check(body) {
        if (JSON.parse(body).length !== 0) throw new Error('s5: expected an empty list');
      },
    },
  ];
}
