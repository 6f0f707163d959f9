/**
 * The shape of a D1 database as SQLite reports it: every table with its columns (type, NOT NULL,
 * default, primary-key position), foreign keys and indexes (uniqueness, partial or not, columns in
 * order with direction and collation). Two databases built by different routes — schema.sql and
 * migrations/ — must describe identically. Bookkeeping tables (D1's, the migrations log) are left
 * out; comments and whitespace in the CREATE text do not matter.
 */

const INTERNAL_TABLE = /^(sqlite_|_cf_|d1_migrations$)/;

interface NameRow {
  name: string;
  type: string;
  sql: string | null;
}

async function rows<T>(db: D1Database, sql: string, ...binds: unknown[]): Promise<T[]> {
  return (
    await db
      .prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;
}

/** CREATE text without comments and with whitespace folded: for partial indexes and views. */
function normalizedSql(sql: string | null): string | null {
  if (sql === null) return null;
  return sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .trim();
}

async function describeIndex(db: D1Database, table: string, index: Record<string, unknown>) {
  const name = String(index.name);
  const columns = await rows<Record<string, unknown>>(
    db,
    'SELECT seqno, name, "desc", coll, "key" FROM pragma_index_xinfo(?) ORDER BY seqno',
    name,
  );
  const [entry] = await rows<NameRow>(
    db,
    "SELECT name, type, sql FROM sqlite_master WHERE type = 'index' AND name = ?",
    name,
  );
  return {
    table,
    unique: index.unique,
    origin: index.origin,
    partial: index.partial,
    columns,
    // Auto-indexes (PRIMARY KEY, UNIQUE) have no SQL; named ones are compared by their text.
    sql: normalizedSql(entry?.sql ?? null),
  };
}

async function describeTable(db: D1Database, table: string) {
  const columns = await rows<Record<string, unknown>>(
    db,
    'SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid',
    table,
  );
  const foreignKeys = await rows<Record<string, unknown>>(
    db,
    'SELECT id, seq, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?) ORDER BY id, seq',
    table,
  );
  const indexList = await rows<Record<string, unknown>>(
    db,
    'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name',
    table,
  );
  const indexes: Record<string, unknown> = {};
  for (const index of indexList) {
    // sqlite_autoindex_<table>_<n> numbering follows declaration order; key by columns instead.
    const described = await describeIndex(db, table, index);
    const key = String(index.name).startsWith('sqlite_autoindex_')
      ? `auto(${described.columns.map((column) => column.name).join(',')})`
      : String(index.name);
    indexes[key] = described;
  }
  return { columns, foreignKeys, indexes };
}

/** Tables (with columns and indexes), views and triggers of `db`, by name. */
export async function describeSchema(db: D1Database): Promise<Record<string, unknown>> {
  const objects = await rows<NameRow>(
    db,
    "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') ORDER BY name",
  );
  const shape: Record<string, unknown> = {};
  for (const object of objects) {
    if (INTERNAL_TABLE.test(object.name)) continue;
    shape[`${object.type} ${object.name}`] =
      object.type === 'table'
        ? await describeTable(db, object.name)
        : { sql: normalizedSql(object.sql) };
  }
  return shape;
}
