/** Bindings the test pool adds (vitest.config.ts): the secrets, and schema.sql's text. */
declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN: string;
    SIGNING_KEYS: string;
    ISSUER: string;
    SCHEMA_SQL: string;
  }
}
