/** Splits schema.sql into statements (comments dropped) and applies them in one batch. */
export async function applySchema(db: D1Database, sql: string): Promise<void> {
  const statements = sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
  await db.batch(statements.map((statement) => db.prepare(statement)));
}
