/**
 * D1 queries for webhook endpoints and their delivery log (spec §13). Secrets arrive and
 * leave encrypted; this module never sees a plaintext secret.
 */
import { type Database, firstOf, rowsOf } from './db';

const ENDPOINT_COLUMNS = `id, client_id, url, events, secret_enc, previous_secret_enc,
  previous_expires_at, status, failing_since, created_at`;

export interface EndpointRow {
  id: string;
  client_id: string;
  url: string;
  /** JSON array of event types, or null for every type. */
  events: string | null;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_expires_at: number | null;
  status: 'active' | 'disabled';
  failing_since: number | null;
  created_at: number;
}

export interface NewEndpoint {
  id: string;
  clientId: string;
  url: string;
  events: string[] | null;
  secretEnc: string;
  now: number;
}

/** Inserts the endpoint when the application exists; null when it does not. */
export async function insertEndpoint(
  db: Database,
  input: NewEndpoint,
): Promise<EndpointRow | null> {
  return db.first<EndpointRow>(
    db
      .prepare(
        `INSERT INTO webhook_endpoints (id, client_id, url, events, secret_enc, status, created_at)
         SELECT ?, client_id, ?, ?, ?, 'active', ? FROM applications WHERE client_id = ?
         RETURNING ${ENDPOINT_COLUMNS}`,
      )
      .bind(
        input.id,
        input.url,
        input.events === null ? null : JSON.stringify(input.events),
        input.secretEnc,
        input.now,
        input.clientId,
      ),
  );
}

/** The application's endpoints, oldest first; null when the application does not exist. */
export async function listEndpoints(db: Database, clientId: string): Promise<EndpointRow[] | null> {
  const [app, rows] = await db.batch([
    db.prepare('SELECT client_id FROM applications WHERE client_id = ?').bind(clientId),
    db
      .prepare(
        `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE client_id = ? ORDER BY created_at, id`,
      )
      .bind(clientId),
  ]);
  return firstOf(app) === null ? null : rowsOf<EndpointRow>(rows);
}

export async function getEndpoint(
  db: Database,
  clientId: string,
  id: string,
): Promise<EndpointRow | null> {
  return db.first<EndpointRow>(
    db
      .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ? AND client_id = ?`)
      .bind(id, clientId),
  );
}

export async function deleteEndpoint(db: Database, clientId: string, id: string): Promise<boolean> {
  const result = await db.run(
    db.prepare('DELETE FROM webhook_endpoints WHERE id = ? AND client_id = ?').bind(id, clientId),
  );
  return result.meta.changes > 0;
}

/** Replaces the secret; the current one keeps signing until `previousExpiresAt`. */
export async function rotateEndpointSecret(
  db: Database,
  target: { clientId: string; id: string },
  secretEnc: string,
  previousExpiresAt: number,
): Promise<EndpointRow | null> {
  return db.first<EndpointRow>(
    db
      .prepare(
        `UPDATE webhook_endpoints
            SET previous_secret_enc = secret_enc, previous_expires_at = ?, secret_enc = ?
          WHERE id = ? AND client_id = ? RETURNING ${ENDPOINT_COLUMNS}`,
      )
      .bind(previousExpiresAt, secretEnc, target.id, target.clientId),
  );
}

/** Sets `active` (clearing the failure streak) or `disabled`. */
export async function setEndpointStatus(
  db: Database,
  target: { clientId: string; id: string },
  status: 'active' | 'disabled',
): Promise<EndpointRow | null> {
  return db.first<EndpointRow>(
    db
      .prepare(
        `UPDATE webhook_endpoints SET status = ?, failing_since = NULL
          WHERE id = ? AND client_id = ? RETURNING ${ENDPOINT_COLUMNS}`,
      )
      .bind(status, target.id, target.clientId),
  );
}

/** The endpoint a delivery message names, whoever owns it. */
export async function getEndpointById(db: Database, id: string): Promise<EndpointRow | null> {
  return db.first<EndpointRow>(
    db.prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?`).bind(id),
  );
}
