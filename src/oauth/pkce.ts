/** PKCE (RFC 7636) with S256 only: `plain` is refused everywhere (RFC 9700 §2.1.1). */
import { base64url, timingSafeEqualStrings } from '../ids';

/** An S256 challenge is the base64url (no padding) of a SHA-256 digest: 43 characters. */
export function isS256Challenge(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
export function isCodeVerifier(value: string): boolean {
  return /^[A-Za-z0-9._~-]{43,128}$/.test(value);
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge, in constant time. */
export async function verifyS256(verifier: string, challenge: string): Promise<boolean> {
  if (!isCodeVerifier(verifier)) return false;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return timingSafeEqualStrings(base64url(new Uint8Array(digest)), challenge);
}
