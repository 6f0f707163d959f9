/** Random identifiers and secrets, and the bounded patterns that validate them on input. */

/** Ids we generate: url-safe, bounded; checked before any id reaches a query or a cache key. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomToken(byteLength: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** 128-bit random id with a readable prefix, e.g. `act_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(16)}`;
}

/** SHA-256 of a string, base64url: how secrets, codes and refresh tokens are stored. */
export async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return base64url(new Uint8Array(digest));
}

/**
 * Constant-time comparison of two secrets: compares their SHA-256 digests with
 * crypto.subtle.timingSafeEqual so neither length nor content leaks through timing.
 */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}
