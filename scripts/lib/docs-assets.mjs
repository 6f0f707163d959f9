/**
 * Copies the Swagger UI bundle and stylesheet (the pinned swagger-ui-dist in package.json) into
 * public/docs/vendor/, the Workers static assets that /docs loads from this origin only.
 * Generated, git-ignored; every entry point (dev, deploy, the tests, the browser test) calls it.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'];

export function copyDocsAssets() {
  const require = createRequire(join(ROOT, 'package.json'));
  const source = dirname(require.resolve('swagger-ui-dist/package.json'));
  const target = join(ROOT, 'public', 'docs', 'vendor');
  mkdirSync(target, { recursive: true });
  for (const file of FILES) copyFileSync(join(source, file), join(target, file));
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Swagger UI copied to ${copyDocsAssets()}`);
}
