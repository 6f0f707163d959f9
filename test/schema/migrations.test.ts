/**
 * spec §15: applying every migration to an empty database gives exactly schema.sql's tables,
 * columns and indexes. The test D1 of this file (like every file's) was built by the migrations
 * in test/helpers/setup.ts; schema.sql is applied here to a second, empty database.
 */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applySchema } from '../helpers/schema';
import { describeSchema } from '../helpers/schema-shape';

describe('migrations/ and schema.sql', () => {
  beforeAll(async () => {
    await applySchema(env.SCHEMA_DB, env.SCHEMA_SQL);
  });

  it('the migrations build the same tables, columns and indexes as schema.sql', async () => {
    const fromMigrations = await describeSchema(env.DB);
    const fromSchema = await describeSchema(env.SCHEMA_DB);
    expect(Object.keys(fromMigrations).length).toBeGreaterThan(10);
    expect(fromMigrations).toStrictEqual(fromSchema);
  });

  it('the comparison notices a column or index that only one side has', async () => {
    await applyD1Migrations(env.DRIFT_DB, env.TEST_MIGRATIONS);
    await env.DRIFT_DB.batch([
      env.DRIFT_DB.prepare('ALTER TABLE users ADD COLUMN nickname TEXT'),
      env.DRIFT_DB.prepare('CREATE INDEX users_created ON users (created_at)'),
    ]);
    const drifted = (await describeSchema(env.DRIFT_DB)) as Record<string, unknown>;
    const reference = (await describeSchema(env.SCHEMA_DB)) as Record<string, unknown>;
    expect(drifted).not.toStrictEqual(reference);
    expect(drifted['table users']).not.toStrictEqual(reference['table users']);
  });

  it('applying the migrations twice changes nothing', async () => {
    const before = await describeSchema(env.DB);
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    expect(await describeSchema(env.DB)).toStrictEqual(before);
  });

  it('a database built before migrations existed reaches schema.sql through them', async () => {
    // As `npm run dev` built it then: the first schema applied directly, no migration records.
    const [first] = env.TEST_MIGRATIONS;
    for (const query of first?.queries ?? []) await env.LEGACY_DB.prepare(query).run();
    await applyD1Migrations(env.LEGACY_DB, env.TEST_MIGRATIONS);
    expect(await describeSchema(env.LEGACY_DB)).toStrictEqual(await describeSchema(env.SCHEMA_DB));
  });
});
