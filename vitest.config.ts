import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { testSigningKeys } from './test/helpers/keys.config.ts';

// The same numbered migrations `npm run dev` and `npm run deploy` apply (spec §15).
const migrations = await readD1Migrations('./migrations');

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Two spare databases for test/unit/migrations.test.ts: schema.sql's result is compared
        // with the migrations' in one, and a deliberately drifted copy in the other.
        d1Databases: ['SCHEMA_DB', 'DRIFT_DB', 'LEGACY_DB'],
        bindings: {
          ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
          SIGNING_KEYS: JSON.stringify(testSigningKeys),
          ISSUER: 'http://localhost',
          // Re-delete and retry delays of KV writes: tests wait for background work.
          KV_WRITE_TIMINGS_MS: '20,30,60',
          // AES-GCM key for webhook signing secrets (base64 of 32 bytes; tests only).
          WEBHOOK_SECRETS_KEY: 'dGVzdC13ZWJob29rLXNlY3JldHMta2V5LTMyYnl0ZXM=',
          SCHEMA_SQL: readFileSync('./schema.sql', 'utf8'),
          // test/unit/rate-limit-config.test.ts holds src/auth/rate-limits.ts to its bindings.
          WRANGLER_TOML: readFileSync('./wrangler.toml', 'utf8'),
          TEST_MIGRATIONS: migrations,
        },
      },
    }),
  ],
  // examples/coach-app imports the client by its package name: its sources, as in a build.
  resolve: {
    alias: [
      { find: /^@appmeta\/client$/, replacement: source('./packages/client/src/index.ts') },
      { find: /^@appmeta\/client\/hono$/, replacement: source('./packages/client/src/hono.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/helpers/setup.ts'],
    // Bounds, not speed assertions (speed is measured by `npm run bench`): on a shared 2-core
    // machine under load a test that builds several databases takes longer than vitest's 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

function source(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}
