/**
 * The arithmetic of the capacity model (scripts/capacity.mjs, docs/scaling.md): a stated
 * request mix per user, what each request costs in D1, KV and Queue operations, and
 * Cloudflare's published prices. Every figure here is an assumption written down, so the
 * printed results can be re-derived by hand from the measured bytes per user.
 */

/** Cloudflare's published prices (Workers Paid), from memory: no network access here. */
export const PRICES = {
  asOf: '2025 (published list prices as remembered, not re-checked online)',
  workersBase: 5, // $ per month, Workers Paid
  workersRequestsIncluded: 10e6,
  workersPerMillionRequests: 0.3,
  cpuMsIncluded: 30e6,
  perMillionCpuMs: 0.02,
  kvReadsIncluded: 10e6,
  kvPerMillionReads: 0.5,
  kvWritesIncluded: 1e6, // writes and deletes are priced alike
  kvPerMillionWrites: 5,
  kvStorageGbIncluded: 1,
  kvPerGbMonth: 0.5,
  d1RowsReadIncluded: 25e9,
  d1PerMillionRowsRead: 0.001,
  d1RowsWrittenIncluded: 50e6,
  d1PerMillionRowsWritten: 1,
  d1StorageGbIncluded: 5,
  d1PerGbMonth: 0.75,
  queueOpsIncluded: 1e6,
  queuePerMillionOps: 0.4,
  queueOpsPerMessage: 3, // write, read, delete (per 64 KB)
};

/** D1 limits used: the per-database size cap, and the throughput one database sustains. */
export const D1_DATABASE_MAX_GB = 10;
/**
 * A D1 database runs its queries one at a time: at about 1 ms per query that is about 1,000
 * queries per second (Cloudflare's D1 documentation); plan for half of it.
 */
export const D1_QUERIES_PER_SECOND_PER_DATABASE = 500;

/** The request mix: requests per active user per day, by kind. */
export const MIX = {
  dailyActiveShare: 0.3,
  peakToAverage: 3,
  perActiveUserDay: {
    hotRead: 300,
    coldRead: 30,
    list: 40,
    entityWrite: 5,
    metadataWrite: 20,
    v2Read: 30,
    v2Write: 10,
    tokenRefresh: 16,
  },
};

/**
 * What one request of each kind costs (docs/consistency.md, docs/performance.md): D1 queries
 * (each batch is one), rows read and written (index entries included, roughly), KV reads and
 * writes (a write's view delete is repeated once in the background: 2 deletes), and Queue
 * messages (one change message per write, for the change feed being added to the write path).
 */
export const PER_REQUEST = {
  hotRead: { d1: 0, rowsRead: 0, rowsWritten: 0, kvReads: 1, kvWrites: 0, messages: 0 },
  coldRead: { d1: 1, rowsRead: 4, rowsWritten: 3, kvReads: 1, kvWrites: 1, messages: 0 },
  list: { d1: 1, rowsRead: 13, rowsWritten: 0, kvReads: 0, kvWrites: 0, messages: 0 },
  entityWrite: { d1: 1, rowsRead: 6, rowsWritten: 4, kvReads: 0, kvWrites: 2, messages: 1 },
  metadataWrite: { d1: 1, rowsRead: 4, rowsWritten: 3, kvReads: 0, kvWrites: 2, messages: 1 },
  v2Read: { d1: 1, rowsRead: 2, rowsWritten: 0, kvReads: 0, kvWrites: 0, messages: 0 },
  v2Write: { d1: 1, rowsRead: 3, rowsWritten: 2, kvReads: 0, kvWrites: 0, messages: 1 },
  tokenRefresh: { d1: 1, rowsRead: 4, rowsWritten: 4, kvReads: 0, kvWrites: 0, messages: 0 },
};

/** Mean CPU per request in production (ms), for the CPU line of the bill. */
export const CPU_MS_PER_REQUEST = 1.5;
/** Live views in KV per active user (300 s lifetime) and the size of one, for KV storage. */
const LIVE_VIEWS_PER_ACTIVE_USER = 20;
const VIEW_BYTES = 1024;

const SECONDS_PER_DAY = 86400;
const DAYS_PER_MONTH = 30;

/** Load of `users` registered users whose data takes `bytesPerUser` in D1. */
export function loadFor(users, bytesPerUser) {
  const active = users * MIX.dailyActiveShare;
  const perDay = {
    requests: 0,
    d1: 0,
    rowsRead: 0,
    rowsWritten: 0,
    kvReads: 0,
    kvWrites: 0,
    messages: 0,
  };
  for (const [kind, count] of Object.entries(MIX.perActiveUserDay)) {
    const cost = PER_REQUEST[kind];
    perDay.requests += active * count;
    for (const field of ['d1', 'rowsRead', 'rowsWritten', 'kvReads', 'kvWrites', 'messages']) {
      perDay[field] += active * count * cost[field];
    }
  }
  const peak = (perDayValue) => (perDayValue / SECONDS_PER_DAY) * MIX.peakToAverage;
  const storageGb = (users * bytesPerUser) / 1e9;
  const databases = Math.ceil(storageGb / D1_DATABASE_MAX_GB);
  const d1QueriesPerSecond = peak(perDay.d1);
  return {
    users,
    storageGb,
    databases,
    databasesForThroughput: Math.ceil(d1QueriesPerSecond / D1_QUERIES_PER_SECOND_PER_DATABASE),
    d1QueriesPerSecond,
    d1QueriesPerDatabase: d1QueriesPerSecond / Math.max(1, databases),
    kvReadsPerSecond: peak(perDay.kvReads),
    kvWritesPerSecond: peak(perDay.kvWrites),
    queueMessagesPerMonth: perDay.messages * DAYS_PER_MONTH,
    perMonth: Object.fromEntries(Object.entries(perDay).map(([k, v]) => [k, v * DAYS_PER_MONTH])),
    kvStorageGb: (active * LIVE_VIEWS_PER_ACTIVE_USER * VIEW_BYTES) / 1e9,
  };
}

const over = (used, included, perUnit, unit = 1e6) =>
  (Math.max(0, used - included) / unit) * perUnit;

/** Monthly bill of a load, line by line ($). */
export function costFor(load) {
  const p = PRICES;
  const m = load.perMonth;
  const lines = [
    [
      'Workers',
      p.workersBase + over(m.requests, p.workersRequestsIncluded, p.workersPerMillionRequests),
    ],
    ['CPU', over(m.requests * CPU_MS_PER_REQUEST, p.cpuMsIncluded, p.perMillionCpuMs)],
    ['KV reads', over(m.kvReads, p.kvReadsIncluded, p.kvPerMillionReads)],
    ['KV writes', over(m.kvWrites, p.kvWritesIncluded, p.kvPerMillionWrites)],
    ['KV storage', over(load.kvStorageGb, p.kvStorageGbIncluded, p.kvPerGbMonth, 1)],
    ['D1 rows read', over(m.rowsRead, p.d1RowsReadIncluded, p.d1PerMillionRowsRead)],
    ['D1 rows written', over(m.rowsWritten, p.d1RowsWrittenIncluded, p.d1PerMillionRowsWritten)],
    ['D1 storage', over(load.storageGb, p.d1StorageGbIncluded, p.d1PerGbMonth, 1)],
    ['Queues', over(m.messages * p.queueOpsPerMessage, p.queueOpsIncluded, p.queuePerMillionOps)],
  ];
  return { lines, total: lines.reduce((sum, [, dollars]) => sum + dollars, 0) };
}
