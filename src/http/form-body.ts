/**
 * Reading application/x-www-form-urlencoded bodies (OAuth endpoints and HTML forms): bounded
 * byte count, fatal UTF-8 decoding, and every parameter at most once (RFC 6749 §3.1, §3.2).
 */
import type { Context } from 'hono';
import { FORM_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { readBoundedBytes } from './body-reader';
import { type Params, singleParams } from '../oauth/form';
import { mediaTypeOf } from './json-request';

export type FormResult = { ok: true; params: Params } | { ok: false; reason: string };

export async function readForm(c: Context<AppEnv>): Promise<FormResult> {
  if (mediaTypeOf(c.req.header('Content-Type')) !== 'application/x-www-form-urlencoded') {
    return { ok: false, reason: 'The body must be application/x-www-form-urlencoded.' };
  }
  const read = await readBoundedBytes(c.req.raw.body, FORM_BODY_MAX_BYTES);
  if (!read.ok) return { ok: false, reason: 'The request body is too large or unreadable.' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(read.value);
  } catch {
    return { ok: false, reason: 'The request body is not valid UTF-8.' };
  }
  const parsed = singleParams(new URLSearchParams(text));
  if (!parsed.ok) return { ok: false, reason: `The ${parsed.repeated} parameter is repeated.` };
  return { ok: true, params: parsed.params };
}
