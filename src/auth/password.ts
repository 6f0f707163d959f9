/**
 * Password hashing: PBKDF2-SHA-256, per-user random salt, 100,000 iterations (the Workers
 * runtime's production maximum; local workerd accepts more, so the bound is asserted here).
 * Format: `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url).
 */
import { PASSWORD_PBKDF2_ITERATIONS } from '../config';
import { base64url } from '../ids';

const SALT_BYTES = 16;
const HASH_BITS = 256;
const RUNTIME_MAX_ITERATIONS = 100_000;

function assertIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > RUNTIME_MAX_ITERATIONS) {
    throw new Error(
      `PBKDF2 iterations must be 1..${RUNTIME_MAX_ITERATIONS} (Workers production limit)`,
    );
  }
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  assertIterations(iterations);
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

function fromBase64url(value: string): Uint8Array {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PASSWORD_PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PASSWORD_PBKDF2_ITERATIONS}$${base64url(salt)}$${base64url(hash)}`;
}

/** Constant-time check of a password against a stored hash; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterationsText, saltText, hashText] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iterationsText || !saltText || !hashText) return false;
  const iterations = Number(iterationsText);
  if (!Number.isInteger(iterations) || iterations > RUNTIME_MAX_ITERATIONS) return false;
  const expected = fromBase64url(hashText);
  const actual = await derive(password, fromBase64url(saltText), iterations);
  return (
    expected.byteLength === actual.byteLength && crypto.subtle.timingSafeEqual(expected, actual)
  );
}
