/** Bindings the test pool adds (vitest.config.ts): the secrets, schema.sql, the migrations. */
declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN: string;
    SIGNING_KEYS: string;
    ISSUER: string;
    SCHEMA_SQL: string;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** Empty databases for the schema-equality test. */
    SCHEMA_DB: D1Database;
    DRIFT_DB: D1Database;
  }
}
