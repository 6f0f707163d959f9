/**
 * Bundles the two workers the benchmark serves into dist/bench/ (git-ignored): the real Worker
 * through `wrangler deploy --dry-run` (the same bundle a deploy uploads) and the reference
 * worker through esbuild, which wrangler ships.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { build } from 'esbuild';

const run = promisify(execFile);

export async function bundleWorkers(root) {
  const outDir = path.join(root, 'dist', 'bench');
  const workerDir = path.join(outDir, 'worker');
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', workerDir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const referencePath = path.join(outDir, 'reference', 'index.js');
  await build({
    entryPoints: [path.join(root, 'bench', 'reference-worker.js')],
    outfile: referencePath,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'warning',
  });
  return { workerPath: path.join(workerDir, 'index.js'), referencePath };
}
