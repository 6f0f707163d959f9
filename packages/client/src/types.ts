/**
 * The public data types, taken from the types generated from the Worker's OpenAPI document
 * (src/generated/openapi.ts), so a change in the API changes them.
 */
import type { components, paths } from './generated/openapi.js';

type Schemas = components['schemas'];

export type Sport = Schemas['Sport'];
export type Activity = Schemas['Activity'];
export type ActivityInput = Schemas['ActivityInput'];
export type Trace = Schemas['Trace'];
export type TraceInput = Schemas['TraceInput'];
export type Test = Schemas['Test'];
export type TestInput = Schemas['TestInput'];
export type Profile = Schemas['Profile'];
export type MetadataEntry = Schemas['MetadataEntry'];
export type ChangeEvent = Schemas['Event'];
export type ChangeEventType = ChangeEvent['type'];
export type ChangeFeedPage = Schemas['ChangeFeed'];
/** An application's private JSON document on an entity or the profile. */
export type AppMetadataDocument = Schemas['AppMetadataDocument'];
/** The §9 error body. */
export type ErrorBody = Schemas['Error'];

export type { components, paths };

/** The path name of each entity kind. */
export type EntityKind = 'activities' | 'traces' | 'tests';

export interface EntityTypes {
  activities: { entity: Activity; input: ActivityInput };
  traces: { entity: Trace; input: TraceInput };
  tests: { entity: Test; input: TestInput };
}

type ListQuery<K extends EntityKind> = NonNullable<
  paths[`/api/v1/${K}`]['get']['parameters']['query']
>;

/** Filters on the caller's own document (app tokens only; spec §14). */
export interface AppMetadataFilter {
  /** Documents that have these top-level members. */
  has?: string | readonly string[];
  /** Entities without a document, or whose document lacks these members. */
  missing?: string | readonly string[];
  /** Top-level members equal to these scalars (`null` needs the member present and null). */
  equals?: Record<string, string | number | boolean | null>;
}

/**
 * `list` filters: the query parameters of the list endpoint, with `sports` and `tags` also as
 * arrays, `limit` as the page size, and `appMetadata` for the metadata filters.
 */
export type ListFilters<K extends EntityKind> = Omit<
  ListQuery<K>,
  'sports' | 'tags' | 'cursor' | 'app_metadata.has' | 'app_metadata.missing'
> & {
  sports?: string | readonly string[];
  tags?: string | readonly string[];
  appMetadata?: AppMetadataFilter;
};

/** A document with the version the server holds (a strong ETag, quotes included). */
export interface VersionedDocument<D extends AppMetadataDocument = AppMetadataDocument> {
  document: D;
  etag: string;
}

type BatchPath<
  K extends EntityKind,
  Op extends 'batch-get' | 'batch-put',
> = paths[`/api/v1/${K}/app-metadata/${Op}`]['post'];

/** One answer of batch-get: the document and its ETag, or an error (`not_found`). */
export type BatchGetItem = BatchPath<
  EntityKind,
  'batch-get'
>['responses'][200]['content']['application/json']['data'][number];

/** One answer of batch-put: its own status (200, 404, 412, 413, 422) and the new ETag. */
export type BatchPutResult = BatchPath<
  EntityKind,
  'batch-put'
>['responses'][200]['content']['application/json']['data'][number];

/** One item of batch-put (the document obeys the single write's limits). */
export interface BatchPutItem {
  id: string;
  document: AppMetadataDocument;
  /** An ETag, quotes included: the write happens only if the document is still that one. */
  if_match?: string;
}
