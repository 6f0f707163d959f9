/**
 * Binding doubles: a D1 that counts round trips independently of the Worker's own counter,
 * and KV namespaces that fail the way production KV can (throwing, 429 on writes).
 */
import { env } from 'cloudflare:workers';

export interface CountingD1 {
  db: D1Database;
  count: () => number;
}

/** Wraps the real D1: every first/all/run/raw on a statement and every batch() is one. */
export function countingD1(real: D1Database = env.DB): CountingD1 {
  let count = 0;
  const wrapStatement = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'bind') {
          return (...args: unknown[]) =>
            wrapStatement((value as (...a: unknown[]) => D1PreparedStatement).apply(target, args));
        }
        if (['first', 'all', 'run', 'raw'].includes(String(property))) {
          return (...args: unknown[]) => {
            count += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  const counted = (target: Pick<D1Database, 'prepare' | 'batch'>) => ({
    prepare: (sql: string) => wrapStatement(target.prepare(sql)),
    batch: (statements: D1PreparedStatement[]) => {
      count += 1;
      return target.batch(statements);
    },
  });
  const db = new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'prepare' || property === 'batch') return counted(target)[property];
      // The Worker runs each request in a D1 session (spec §17): count through it too.
      if (property === 'withSession') {
        return (anchor?: string) => {
          const session = target.withSession(anchor);
          return { ...counted(session), getBookmark: () => session.getBookmark() };
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { db, count: () => count };
}

/** A D1 whose every call fails, as when the database is unreachable. */
export function failingD1(): D1Database {
  const fail = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'));
  const statement = { bind: () => statement, first: fail, all: fail, run: fail, raw: fail };
  const session = { prepare: () => statement, batch: fail, getBookmark: () => null };
  return {
    ...session,
    exec: fail,
    dump: fail,
    withSession: () => session,
  } as unknown as D1Database;
}

type KvMode = 'throw-all' | 'reject-writes';

/** A KV that throws on every call, or serves reads but refuses writes with a 429. */
export function failingKv(
  mode: KvMode,
  real: KVNamespace = env.CACHE,
): KVNamespace & { writes: number } {
  const refuse = () => Promise.reject(new Error('KV PUT failed: 429 Too Many Requests'));
  const kv = {
    writes: 0,
    get: (...args: unknown[]) =>
      mode === 'throw-all'
        ? Promise.reject(new Error('KV GET failed: 500 Internal Server Error'))
        : (real.get as (...a: unknown[]) => Promise<unknown>)(...args),
    put: () => {
      kv.writes += 1;
      return refuse();
    },
    delete: () => {
      kv.writes += 1;
      return refuse();
    },
    list: () => Promise.reject(new Error('KV LIST failed')),
    getWithMetadata: () => Promise.reject(new Error('KV GET failed')),
  };
  return kv as unknown as KVNamespace & { writes: number };
}

/** KV's operations-per-invocation limit in production (spec §11 sizes revocations by it). */
export const KV_OPERATIONS_PER_INVOCATION = 1000;

/**
 * The real KV behind a counter that refuses operations past KV's per-invocation limit, as
 * production does: hand one to a single request to see what that request asked of KV.
 */
export function budgetedKv(real: KVNamespace = env.CACHE): KVNamespace & { operations: number } {
  const kv = { operations: 0 } as KVNamespace & { operations: number };
  for (const method of ['get', 'put', 'delete', 'list', 'getWithMetadata'] as const) {
    Object.assign(kv, {
      [method]: (...args: unknown[]) => {
        kv.operations += 1;
        if (kv.operations > KV_OPERATIONS_PER_INVOCATION) {
          return Promise.reject(new Error('Too many API requests by single worker invocation.'));
        }
        return (real[method] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
      },
    });
  }
  return kv;
}

/** One call a Rate Limiting binding received. */
export interface LimiterCall {
  binding: string;
  key: string;
}

/**
 * Doubles of every Rate Limiting binding (src/auth/rate-limits.ts) that record each call and
 * answer as told: `allow`, `refuse`, or `throw` as an outage of the rate-limit service would.
 */
export function recordingLimiters(answer: 'allow' | 'refuse' | 'throw') {
  const calls: LimiterCall[] = [];
  const names = [
    'API_LIMIT_STANDARD',
    'API_LIMIT_HIGH',
    'PERSONAL_KEY_LIMIT',
    'OAUTH_LIMIT_STANDARD',
    'OAUTH_LIMIT_HIGH',
    'SIGNUP_LIMIT',
  ];
  const bindings: Record<string, RateLimit> = {};
  for (const binding of names) {
    bindings[binding] = {
      limit: ({ key }: RateLimitOptions) => {
        calls.push({ binding, key });
        if (answer === 'throw') return Promise.reject(new Error('rate limit service unavailable'));
        return Promise.resolve({ success: answer === 'allow' });
      },
    };
  }
  return { bindings, calls };
}
