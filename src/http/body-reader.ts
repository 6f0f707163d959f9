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
  // 400 invalid_json before 422). validate() keeps its containers on an explicit stack, so an
  // arbitrarily deep or unclosed body cannot overflow the call stack.
  const reason = validate(text);
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

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; // RFC 8259 §2
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;
const ESCAPES = '"\\/bfnrt'; // RFC 8259 §7 two-character escapes (besides \u)

/**
 * One linear, iterative pass over the RFC 8259 grammar plus RFC 7493 §2.1-2.3 (no lone
 * surrogates, numbers representable as finite doubles, unique member names). Returns null when
 * valid, else a reason. Containers live on an explicit stack: a Set of seen names per object,
 * null per array.
 */
function validate(text: string): string | null {
  const n = text.length;
  const stack: Array<Set<string> | null> = [];
  let i = 0;
  let error = '';
  const ws = (): void => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };
  const at = (what: string): string =>
    i >= n ? `unexpected end of input, expected ${what}` : `expected ${what} at offset ${i}`;

  // RFC 8259 §7 string, with RFC 7493 §2.1 well-formed UTF-16 code units. Advances i past it.
  const string = (): boolean => {
    let pendingHigh = false;
    for (i++; ;) {
      if (i >= n) return ((error = 'unterminated string'), false);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) return ((error = `unescaped control character at offset ${i}`), false);
      let unit = c;
      if (c === 0x5c) {
        const e = text.charAt(i + 1);
        if (e === 'u') {
          for (let k = i + 2; k < i + 6; k++) {
            if (!isHex(text.charCodeAt(k))) return ((error = `invalid \\u escape at ${i}`), false);
          }
          unit = parseInt(text.slice(i + 2, i + 6), 16);
          i += 6;
        } else if (e !== '' && ESCAPES.includes(e)) {
          unit = 0;
          i += 2;
        } else return ((error = `invalid escape at offset ${i}`), false);
      } else i++;
      if (pendingHigh !== isLow(unit)) return ((error = `lone surrogate before ${i}`), false);
      pendingHigh = !pendingHigh && isHigh(unit);
    }
    if (pendingHigh) return ((error = `lone surrogate before ${i}`), false);
    i++;
    return true;
  };

  // RFC 8259 §6 number; RFC 7493 §2.2: must be a finite double, and a non-zero literal must
  // not underflow to zero.
  const number = (): boolean => {
    const start = i;
    let nonZero = false;
    if (text.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) if (text.charCodeAt(i++) !== 0x30) nonZero = true;
    if (i === intStart || (text.charCodeAt(intStart) === 0x30 && i > intStart + 1)) {
      return ((error = `invalid number at offset ${start}`), false);
    }
    if (text.charCodeAt(i) === 0x2e) {
      const fracStart = ++i;
      while (i < n && isDigit(text.charCodeAt(i)))
        if (text.charCodeAt(i++) !== 0x30) nonZero = true;
      if (i === fracStart) return ((error = `invalid number at offset ${start}`), false);
    }
    if (text.charCodeAt(i) === 0x65 || text.charCodeAt(i) === 0x45) {
      i++;
      if (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d) i++;
      const expStart = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (i === expStart) return ((error = `invalid number at offset ${start}`), false);
    }
    const v = Number(text.slice(start, i));
    if (!Number.isFinite(v) || (v === 0 && nonZero)) {
      return ((error = `number at offset ${start} does not fit a double`), false);
    }
    return true;
  };

  // Member name, unique within its object (compared decoded), then the name separator.
  const member = (names: Set<string>): boolean => {
    ws();
    if (text.charCodeAt(i) !== 0x22) return ((error = at('a member name')), false);
    const start = i;
    if (!string()) return false;
    const name = JSON.parse(text.slice(start, i)) as string;
    if (names.has(name)) return ((error = `duplicate member name at offset ${start}`), false);
    names.add(name);
    ws();
    if (text.charCodeAt(i) !== 0x3a) return ((error = at("':'")), false);
    i++;
    return true;
  };

  value: for (;;) {
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      i++;
      ws();
      if (text.charCodeAt(i) === c + 2)
        i++; // empty '{}' or '[]'
      else if (c === 0x5b) {
        stack.push(null);
        continue value;
      } else {
        const names = new Set<string>();
        stack.push(names);
        if (!member(names)) return error;
        continue value;
      }
    } else if (c === 0x22) {
      if (!string()) return error;
    } else if (c === 0x2d || isDigit(c)) {
      if (!number()) return error;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return at('a value');
    // After a value: close containers or move on to the next element / member.
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) break value;
      const d = text.charCodeAt(i);
      if (d === 0x2c) {
        i++;
        if (top !== null && !member(top)) return error;
        continue value;
      }
      if (d !== (top === null ? 0x5d : 0x7d)) return at(top === null ? "',' or ']'" : "',' or '}'");
      stack.pop();
      i++;
    }
  }
  return i === n ? null : `unexpected trailing data at offset ${i}`;
}
