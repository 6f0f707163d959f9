#!/usr/bin/env node
/**
 * `npm run openapi`: writes the Worker's own /openapi.json to openapi.json at the repository
 * root. `npm run openapi:check`: regenerates it in memory and exits 1 when the committed file
 * differs (CI runs it), printing the first differing lines.
 *
 * No server and no port of ours: esbuild bundles src/index.ts as wrangler would, Miniflare loads
 * the bundle into workerd with empty in-memory bindings, and one request goes through
 * `dispatchFetch`. The output is deterministic: paths and components are sorted by name (their
 * order carries no meaning, and sorted keys keep merges of new routes conflict-free), formatted
 * by the repository's prettier so `npm run lint` accepts the file as written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { format, resolveConfig } from 'prettier';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'openapi.json');
/** The origin `npm run dev` serves on: the document's `servers` entry. */
const ORIGIN = 'http://localhost:8787';

function compatibility() {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? '';
  return {
    compatibilityDate: date,
    compatibilityFlags: [...flags.matchAll(/"([^"]+)"/g)].map((match) => match[1]),
  };
}

async function bundle() {
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

function sortKeys(object) {
  if (object === undefined) return undefined;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key]]),
  );
}

/** The document with its order-free maps sorted, as the committed file holds it. */
export async function canonical(document) {
  const components = document.components ?? {};
  const sortedComponents = sortKeys(
    Object.fromEntries(Object.entries(components).map(([kind, map]) => [kind, sortKeys(map)])),
  );
  const sorted = { ...document, paths: sortKeys(document.paths), components: sortedComponents };
  const options = await resolveConfig(OUTPUT);
  return format(JSON.stringify(sorted), { ...options, filepath: OUTPUT });
}

export async function generate() {
  const mf = new Miniflare({
    modules: true,
    script: await bundle(),
    ...compatibility(),
    d1Databases: ['DB'],
    kvNamespaces: ['CACHE'],
    bindings: { ISSUER: ORIGIN },
  });
  try {
    const response = await mf.dispatchFetch(`${ORIGIN}/openapi.json`);
    if (response.status !== 200) {
      throw new Error(`/openapi.json answered ${response.status}: ${await response.text()}`);
    }
    return await canonical(await response.json());
  } finally {
    await mf.dispose();
  }
}

function firstDifference(committed, generated) {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const index = a.findIndex((line, i) => line !== b[i]);
  const at = index === -1 ? a.length : index;
  return [
    `first difference at line ${at + 1}:`,
    `  committed: ${a[at] ?? '(end of file)'}`,
    `  generated: ${b[at] ?? '(end of file)'}`,
  ].join('\n');
}

async function main() {
  const generated = await generate();
  if (!process.argv.includes('--check')) {
    writeFileSync(OUTPUT, generated);
    console.log(`openapi.json written (${generated.length} bytes)`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(OUTPUT, 'utf8');
  } catch {
    committed = '';
  }
  if (committed === generated) {
    console.log('openapi.json is up to date');
    return;
  }
  console.error('openapi.json differs from the document the Worker serves.');
  console.error(firstDifference(committed, generated));
  console.error('Run `npm run openapi` and commit openapi.json (git diff shows the change).');
  process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
