/**
 * Webhook signing secrets (spec §13, security.md): generated as `whsec_<base64 of 32 random
 * bytes>`, kept encrypted at rest with AES-GCM under WEBHOOK_SECRETS_KEY (they must be
 * recoverable to sign, so they are not hashed), and used to sign deliveries the Standard
 * Webhooks way.
 */

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const ENVELOPE = /^v1\.([A-Za-z0-9+/]+=*)\.([A-Za-z0-9+/]+=*)$/;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** A fresh signing secret, shown to its owner once. */
export function newSigningSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** Thrown when WEBHOOK_SECRETS_KEY is missing or not base64 of 32 bytes; never quotes it. */
export class SecretsKeyError extends Error {
  override readonly name = 'SecretsKeyError';
}

/** Imports WEBHOOK_SECRETS_KEY (base64 of 32 bytes) as an AES-256-GCM key. */
export async function importSecretsKey(value: string | undefined): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = fromBase64((value ?? '').trim());
  } catch {
    throw new SecretsKeyError('WEBHOOK_SECRETS_KEY is not base64.');
  }
  if (raw.length !== 32) throw new SecretsKeyError('WEBHOOK_SECRETS_KEY must hold 32 bytes.');
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/**
 * `v1.<iv>.<ciphertext>`; the endpoint id is the additional data, so a ciphertext copied to
 * another endpoint's row does not decrypt.
 */
export async function encryptSecret(key: CryptoKey, endpointId: string, secret: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(endpointId) },
    key,
    new TextEncoder().encode(secret),
  );
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

export async function decryptSecret(
  key: CryptoKey,
  endpointId: string,
  envelope: string,
): Promise<string> {
  const match = ENVELOPE.exec(envelope);
  if (!match) throw new SecretsKeyError('A stored webhook secret is malformed.');
  const plain = await crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: fromBase64(match[1] as string),
      additionalData: new TextEncoder().encode(endpointId),
    },
    key,
    fromBase64(match[2] as string),
  );
  return new TextDecoder().decode(plain);
}

/**
 * The `webhook-signature` header (Standard Webhooks): `v1,<base64 HMAC-SHA256>` of
 * `id.timestamp.body` for each secret, space-separated, so a receiver holding either the old
 * or the new secret verifies during a rotation's overlap.
 */
export async function signatureHeader(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey(
        'raw',
        fromBase64(secret.slice(SECRET_PREFIX.length)),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, content)))}`;
    }),
  );
  return signatures.join(' ');
}
