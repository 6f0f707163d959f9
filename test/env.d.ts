/**
 * Bindings only the test pool adds (vitest.config.ts): schema.sql, the migrations, spare
 * databases. The secrets and ISSUER are in the generated worker-configuration.d.ts.
 */
declare namespace Cloudflare {
  interface Env {
    SCHEMA_SQL: string;
    WRANGLER_TOML: string;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** Empty databases for the schema-equality test. */
    SCHEMA_DB: D1Database;
    LEGACY_DB: D1Database;
    DRIFT_DB: D1Database;
  }
}
