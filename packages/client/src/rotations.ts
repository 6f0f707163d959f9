/**
 * Refresh-token rotations shared by every client in this runtime (a Node process, an isolate,
 * a browser tab). A server typically builds a new client per request from stored tokens, so two
 * requests of one user can hold the same refresh token in two clients; presenting it twice
 * revokes the whole chain (RFC 9700 §4.14.2) and signs the user out. Keyed by issuer, client
 * and refresh token: a rotation in progress is joined, and one that finished recently is
 * reused (its new pair handed over) instead of presenting the spent token again.
 */

/** How long a finished rotation's result stays available to clients still holding its input. */
const KEEP_MS = 5 * 60_000;

interface Rotation<T> {
  result: Promise<T>;
  /** Unix ms after which the entry is dropped; Infinity while in progress. */
  until: number;
}

const rotations = new Map<string, Rotation<unknown>>();

/** Joins or reuses the rotation for `key`, or starts one with `start`. */
export function shareRotation<T>(key: string, start: () => Promise<T>): Promise<T> {
  const now = Date.now();
  for (const [name, entry] of rotations) if (entry.until <= now) rotations.delete(name);
  const found = rotations.get(key) as Rotation<T> | undefined;
  if (found !== undefined) return found.result;
  const entry: Rotation<T> = { result: start(), until: Infinity };
  rotations.set(key, entry);
  entry.result.then(
    () => {
      entry.until = Date.now() + KEEP_MS;
    },
    () => {
      // A failed rotation is not cached: the next caller may try again (or learn the error).
      if (rotations.get(key) === entry) rotations.delete(key);
    },
  );
  return entry.result;
}
