/**
 * Hostile-input-safe JSON body reading (docs/security.md, "Hostile input").
 *
 * Owns: reading a request body under a byte limit counted here (never Content-Length), fatal
 * UTF-8 decoding, and strict I-JSON validation (RFC 8259 grammar + RFC 7493) with the depth
 * rule of spec/api.md §11 checked by a non-recursive scan before anything recursive runs.
 * Expected failures are returned as values, never thrown.
 */

/** Outcome of reading a body; expected failures are values, not exceptions. */
export type BodyError =
  { kind: 'too_large' } | { kind: 'invalid_json'; reason: string } | { kind: 'too_deep' };

export type BodyResult<T> = { ok: true; value: T } | { ok: false; error: BodyError };

import { OVERSIZE_BODY_DRAIN_MAX_BYTES } from '../config';
import { validateIJson } from './strict-json';

const invalid = (reason: string): { ok: false; error: BodyError } => ({
  ok: false,
  error: { kind: 'invalid_json', reason },
});

/** Reads at most limitBytes bytes from the stream, counting bytes itself (never trusts
 * Content-Length). Stops keeping bytes as soon as the count exceeds the limit, so memory stays
 * bounded, and drains a bounded rest (see drain). A null body is an empty byte array. */
export async function readBoundedBytes(
  body: ReadableStream<Uint8Array> | null,
  limitBytes: number,
): Promise<BodyResult<Uint8Array>> {
  if (body === null) return { ok: true, value: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await drain(reader, OVERSIZE_BODY_DRAIN_MAX_BYTES);
      return { ok: false, error: { kind: 'too_large' } };
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, value: out };
}

/**
 * Reads and discards the rest of an oversized body, at most `maxBytes`, then cancels what is
 * left (see OVERSIZE_BODY_DRAIN_MAX_BYTES). The cancel is not awaited: a stream whose cancel
 * never settles must not hang the request.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number) {
  let drained = 0;
  while (drained <= maxBytes) {
    const { done, value } = await reader.read();
    if (done) return;
    drained += value.byteLength;
  }
  reader.cancel().catch(() => {});
}

/** Decodes UTF-8 fatally, validates the text as I-JSON (RFC 8259 + RFC 7493), then its depth. */
export function parseStrictJson(bytes: Uint8Array, maxDepth: number): BodyResult<unknown> {
  // RFC 8259 §8.1: no BOM may be added to networked JSON; we refuse one rather than skip it.
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return invalid('byte order mark is not allowed');
  }
  let text: string;
  try {
    // RFC 7493 §2.1: I-JSON text MUST be UTF-8; invalid sequences (incl. encoded surrogates) fail.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return invalid('body is not valid UTF-8');
  }
  // Syntax first: 422 too_deep is for well-formed JSON only (RFC 9110 §15.5.21; spec §11 orders
  // 400 invalid_json before 422). validateIJson() keeps its containers on an explicit stack, so an
  // arbitrarily deep or unclosed body cannot overflow the call stack.
  const reason = validateIJson(text);
  if (reason !== null) return invalid(reason);
  if (maxDepthExceeded(text, maxDepth)) return { ok: false, error: { kind: 'too_deep' } };
  return { ok: true, value: JSON.parse(text) as unknown };
}

/** Depth as defined in spec/api.md §11, for an already-parsed value; iterative, not recursive. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, parentDepth] = item;
    if (typeof v !== 'object' || v === null) continue;
    const depth = parentDepth + 1;
    if (depth > max) max = depth;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth]);
    }
  }
  return max;
}

/** Non-recursive pre-scan: counts '[' and '{' outside strings; true once depth > maxDepth. */
function maxDepthExceeded(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return false;
}
