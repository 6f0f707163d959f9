/** Reads the change records (spec §13) a test's writes appended, straight from D1. */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';

export interface RecordedChange {
  client_id: string;
  type: string;
  entity_type: string | null;
  entity_id: string | null;
  etag: string | null;
  key: string | null;
}

/** The user's change rows in commit order, without their random ids and times. */
export async function changesOf(userId: string): Promise<RecordedChange[]> {
  const { results } = await env.DB.prepare(
    `SELECT client_id, type, entity_type, entity_id, etag, key FROM changes
      WHERE user_id = ? ORDER BY seq`,
  )
    .bind(userId)
    .all<RecordedChange>();
  return results;
}

/** A full change row for toStrictEqual, defaults for the members an event does not carry. */
export function change(
  clientId: string,
  type: string,
  extra: Partial<RecordedChange> = {},
): RecordedChange {
  return {
    client_id: clientId,
    type,
    entity_type: null,
    entity_id: null,
    etag: null,
    key: null,
    ...extra,
  };
}

/** Every event id is `evt_` and unique. */
export async function expectWellFormedIds(userId: string): Promise<void> {
  const { results } = await env.DB.prepare('SELECT id, created_at FROM changes WHERE user_id = ?')
    .bind(userId)
    .all<{ id: string; created_at: number }>();
  for (const row of results) expect(row.id).toMatch(/^evt_[0-9a-f]{32}$/);
  expect(new Set(results.map((row) => row.id)).size).toBe(results.length);
}
