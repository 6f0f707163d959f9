/** The bounded purge of expired identity rows. */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { Database } from '../../src/storage/db';
import { purgeExpiredIdentityRows } from '../../src/storage/identity-purge';
import { createUser } from '../helpers/factories';

it('deletes expired sessions and keeps live ones, at most `limit` per table', async () => {
  const user = await createUser();
  const insert = env.DB.prepare(
    'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, 0, ?)',
  );
  await env.DB.batch([
    insert.bind('old-1', user.id, 10),
    insert.bind('old-2', user.id, 20),
    insert.bind('live', user.id, 4_000_000_000),
  ]);
  const db = new Database(env.DB);
  expect(await purgeExpiredIdentityRows(db, 1000, 1)).toBe(1);
  expect(await purgeExpiredIdentityRows(db, 1000, 10)).toBe(1);
  const left = await env.DB.prepare('SELECT id_hash FROM sessions WHERE user_id = ?')
    .bind(user.id)
    .all<{ id_hash: string }>();
  expect(left.results.map((row) => row.id_hash)).toStrictEqual(['live']);
});
