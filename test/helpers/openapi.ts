/**
 * The live /openapi.json and a check of real responses against it: the documented schema of
 * (operation, status) becomes a zod schema with zod's own JSON Schema reader, made strict so a
 * member the Worker sends but the document omits fails as well as a missing one.
 */
import { z } from 'zod';
import { call } from './worker';

type JsonSchema = Record<string, unknown>;

export interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<
    string,
    { headers?: Record<string, unknown>; content?: Record<string, { schema: JsonSchema }> }
  >;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema & { flows?: unknown }>;
  };
}

export interface LocatedOperation {
  path: string;
  method: string;
  operation: Operation;
}

export async function openApiDocument(): Promise<OpenApiDocument> {
  return (await (await call('/openapi.json')).json()) as OpenApiDocument;
}

export function operations(document: OpenApiDocument): LocatedOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
}

/** Objects that list their members get `additionalProperties: false` unless they say otherwise. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === 'example' ? value : strict(value)]),
  ) as JsonSchema;
  if (copy.properties !== undefined && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/** A zod schema for a documented JSON Schema, its $refs resolved against the components. */
export function zodOf(document: OpenApiDocument, schema: JsonSchema): z.ZodType {
  const rewritten = JSON.parse(
    JSON.stringify({ ...schema, $defs: document.components.schemas }).replaceAll(
      '#/components/schemas/',
      '#/$defs/',
    ),
  ) as JsonSchema;
  return z.fromJSONSchema(strict(rewritten) as JsonSchema);
}

/** The issues of `body` against the documented schema of (operation, status), or why none. */
export function responseIssues(
  document: OpenApiDocument,
  located: LocatedOperation,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  const documented = located.operation.responses[String(status)];
  if (documented === undefined) return [`status ${status} is not documented`];
  const mediaType = contentType?.split(';')[0]?.trim() ?? null;
  if (mediaType === null) {
    return documented.content === undefined ? [] : ['documented a body, sent none'];
  }
  const schema = documented.content?.[mediaType]?.schema;
  if (schema === undefined) return [`${mediaType} is not documented for ${status}`];
  const result = zodOf(document, schema).safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
