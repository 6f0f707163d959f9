/** Worker entry: the HTTP API and the scheduled purge. Exports nothing else. */
import { buildApp } from './app';
import type { Bindings } from './env';

const app = buildApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, _env, _ctx) {
    // Purging expired v2 metadata entries is added with the v2 store.
  },
} satisfies ExportedHandler<Bindings>;
