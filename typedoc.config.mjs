// TypeDoc for @appmeta/client (`npm run docs:client`, scripts/client-docs.mjs): the reference of
// its two entry points, written to public/docs/client/ for the Worker's static assets.
import { OptionDefaults } from 'typedoc';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: ['packages/client/src/index.ts', 'packages/client/src/hono.ts'],
  tsconfig: 'packages/client/tsconfig.build.json',
  out: 'public/docs/client',
  name: '@appmeta/client',
  readme: 'packages/client/README.md',
  excludePrivate: true,
  excludeInternal: true,
  githubPages: false,
  hideGenerator: true,
  disableSources: true,
  // openapi-typescript writes `@description` on the generated types.
  blockTags: [...OptionDefaults.blockTags, '@description'],
  validation: { notExported: false, invalidLink: true, notDocumented: false },
};
