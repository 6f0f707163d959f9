import { readFileSync } from 'node:fs';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { testSigningKeys } from './test/helpers/keys.config.ts';

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
          SIGNING_KEYS: JSON.stringify(testSigningKeys),
          ISSUER: 'http://localhost',
          // Re-delete and retry delays of KV writes: tests wait for background work.
          KV_WRITE_TIMINGS_MS: '20,30,60',
          // AES-GCM key for webhook signing secrets (base64 of 32 bytes; tests only).
          WEBHOOK_SECRETS_KEY: 'dGVzdC13ZWJob29rLXNlY3JldHMta2V5LTMyYnl0ZXM=',
          SCHEMA_SQL: readFileSync('./schema.sql', 'utf8'),
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/helpers/setup.ts'],
  },
});
