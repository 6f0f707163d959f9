/**
 * The change feed's pure rules (spec §13, §17): opaque cursors, which event types a token's
 * scopes may see, and the event JSON that the feed and webhook deliveries both carry.
 */
import { formatTimestamp } from '../entities/time';

/** Every event type of spec §13's table. */
export const EVENT_TYPES = [
  'activity.created',
  'activity.updated',
  'activity.deleted',
  'trace.created',
  'trace.updated',
  'trace.deleted',
  'test.created',
  'test.updated',
  'test.deleted',
  'app_metadata.updated',
  'app_metadata.deleted',
  'metadata.updated',
  'metadata.deleted',
  'metadata.expired',
  'authorization.revoked',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: string): value is EventType {
  return KNOWN_TYPES.has(value);
}

/**
 * Cursor wire format: base64url of `c1:<seq>`. The version prefix lets the format change
 * later; the strict pattern means any edit of a cursor is a 400, never a wrong position.
 */
const CURSOR_TEXT = /^c1:([1-9][0-9]{0,14})$/;
const CURSOR_WIRE = /^[A-Za-z0-9_-]{4,32}$/;

export function encodeCursor(seq: number): string {
  return btoa(`c1:${seq}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The seq a cursor names, or null when it is not one this server issued. */
export function decodeCursor(cursor: string): number | null {
  if (!CURSOR_WIRE.test(cursor)) return null;
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const match = CURSOR_TEXT.exec(text);
  if (!match || encodeCursor(Number(match[1])) !== cursor) return null;
  return Number(match[1]);
}

/** Which families of events a token may read (spec §13: the table's scopes). */
export interface FeedScopes {
  /** `data:read`: entity and app_metadata events. */
  data: boolean;
  /** `metadata.read`: the v2 store's events. */
  metadata: boolean;
}

/** A change row as the feed and deliveries read it. */
export interface StoredEvent {
  seq: number;
  id: string;
  user_id: string;
  type: string;
  entity_type: string | null;
  entity_id: string | null;
  etag: string | null;
  key: string | null;
  created_at: number;
}

export interface EventJson {
  id: string;
  type: string;
  timestamp: string;
  data: {
    user_id: string;
    entity_type?: string;
    entity_id?: string;
    etag?: string;
    key?: string;
  };
}

/** spec §13 event shape: thin, ids only; members the event does not carry are omitted. */
export function toEventJson(row: StoredEvent): EventJson {
  return {
    id: row.id,
    type: row.type,
    timestamp: formatTimestamp(row.created_at),
    data: {
      user_id: row.user_id,
      ...(row.entity_type === null ? {} : { entity_type: row.entity_type }),
      ...(row.entity_id === null ? {} : { entity_id: row.entity_id }),
      ...(row.etag === null ? {} : { etag: row.etag }),
      ...(row.key === null ? {} : { key: row.key }),
    },
  };
}
