#!/usr/bin/env node
// Prints a SIGNING_KEYS value: a JWKS of private ES256 keys. With `--rotate FILE`, the new key
// is put first (it signs from now on) and the keys in FILE follow (they still verify), so
// tokens signed before the rotation keep working until they expire. Drop old keys after the
// longest token lifetime (1 hour for access tokens; personal keys live longer: re-issue them).
import { readFileSync } from 'node:fs';
import { generateSigningKeys } from './lib/dev-state.mjs';

const rotateIndex = process.argv.indexOf('--rotate');
const existing =
  rotateIndex > 0 ? JSON.parse(readFileSync(process.argv[rotateIndex + 1], 'utf8')).keys : [];
const fresh = await generateSigningKeys();
process.stdout.write(`${JSON.stringify({ keys: [...fresh.keys, ...existing] })}\n`);
