/** Applies schema.sql (the same file dev and deploy use) to this test file's isolated D1. */
import { env } from 'cloudflare:workers';
import { beforeAll } from 'vitest';
import { applySchema } from './schema';

beforeAll(async () => {
  await applySchema(env.DB, env.SCHEMA_SQL);
});
