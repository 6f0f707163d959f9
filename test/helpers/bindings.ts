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
  const db = new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql));
      if (property === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          count += 1;
          return target.batch(statements);
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
  return { prepare: () => statement, batch: fail, exec: fail, dump: fail } as unknown as D1Database;
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
