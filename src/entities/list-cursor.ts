/**
 * Keyset cursors of entity lists (spec §14): the position after the last item of a page, as
 * (sort, sort key, id). Opaque to clients (base64url of a small JSON array); a cursor made
 * for one sort order is refused for another, so a page never resumes in the wrong order.
 */

export type ListSort = 'time' | 'updated_at';

export interface ListCursor {
  sort: ListSort;
  /** The sort key of the last item: its start/timestamp, or its updated_at (unix seconds). */
  key: number;
  id: string;
}

/** Entity ids are `<prefix>_<random>`; anything else cannot come from this service. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_CURSOR_CHARS = 200;
const KEY_LIMIT = 1e12;

function toBase64Url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function encodeCursor(cursor: ListCursor): string {
  return toBase64Url(JSON.stringify([cursor.sort === 'time' ? 't' : 'u', cursor.key, cursor.id]));
}

/** The cursor, or null when the text is not one this service made. */
export function decodeCursor(text: string): ListCursor | null {
  if (text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(text.replaceAll('-', '+').replaceAll('_', '/')));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [sort, key, id] = parsed as unknown[];
  if (sort !== 't' && sort !== 'u') return null;
  if (typeof key !== 'number' || !Number.isSafeInteger(key) || Math.abs(key) > KEY_LIMIT) {
    return null;
  }
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return null;
  return { sort: sort === 't' ? 'time' : 'updated_at', key, id };
}
