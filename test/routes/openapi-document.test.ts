/**
 * The rules /openapi.json keeps for generated clients (spec §16): every operation has a
 * unique camelCase operationId, defined tags and its security (taken from the guard that
 * checks it), rate-limited operations document 429 and its headers, request bodies carry no
 * `default`, and query parameters their real types. Operations added later meet them too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, SCOPE_DESCRIPTIONS } from '../../src/auth/scopes';
import {
  type OpenApiDocument,
  openApiDocument,
  operations,
  responseIssues,
} from '../helpers/openapi';

const SCHEMES = ['oauth2', 'personalKey', 'session', 'adminAuth', 'clientBasic'];
let document: OpenApiDocument;

beforeAll(async () => {
  document = await openApiDocument();
});

const byId = (operationId: string) =>
  operations(document).find((located) => located.operation.operationId === operationId);

/** Every `default` reachable from a schema, its $refs followed. */
function defaultsIn(schema: unknown, seen = new Set<string>()): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item) => defaultsIn(item, seen));
  if (typeof schema !== 'object' || schema === null) return [];
  const record = schema as Record<string, unknown>;
  if (typeof record.$ref === 'string') {
    if (seen.has(record.$ref)) return [];
    seen.add(record.$ref);
    const name = record.$ref.replace('#/components/schemas/', '');
    return defaultsIn(document.components.schemas[name], seen);
  }
  const own = 'default' in record ? [JSON.stringify(record)] : [];
  return [
    ...own,
    ...Object.entries(record)
      .filter(([key]) => key !== 'example')
      .flatMap(([, value]) => defaultsIn(value, seen)),
  ];
}

describe('/openapi.json operations', () => {
  it('each have a unique camelCase operationId', () => {
    const ids = operations(document).map((located) => located.operation.operationId ?? '');
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]+$/.test(id))).toStrictEqual([]);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('each have tags that the document defines', () => {
    const defined = new Set(
      ((document as unknown as { tags: Array<{ name: string }> }).tags ?? []).map((t) => t.name),
    );
    const bad = operations(document).filter(
      ({ operation }) =>
        (operation.tags ?? []).length === 0 || !(operation.tags ?? []).every((t) => defined.has(t)),
    );
    expect(bad.map(({ method, path }) => `${method} ${path}`)).toStrictEqual([]);
  });

  it('each state their security with known schemes and declared scopes', () => {
    const problems = operations(document).flatMap(({ method, path, operation }) => {
      if (!Array.isArray(operation.security)) return [`${method} ${path}: no security`];
      return operation.security.flatMap((entry) =>
        Object.entries(entry)
          .filter(
            ([scheme, scopes]) =>
              !SCHEMES.includes(scheme) ||
              (scheme === 'oauth2' &&
                !scopes.every((s) => (SCOPES as readonly string[]).includes(s))),
          )
          .map(([scheme]) => `${method} ${path}: ${scheme}`),
      );
    });
    expect(problems).toStrictEqual([]);
  });

  it('document 429 with Retry-After, RateLimit-Policy and RateLimit wherever a limit applies', () => {
    const limited = operations(document).filter(({ operation }) =>
      (operation.security ?? []).some((entry) => 'oauth2' in entry || 'personalKey' in entry),
    );
    expect(limited.length).toBeGreaterThan(40);
    const missing = [...limited, ...['requestToken', 'revokeToken'].map((id) => byId(id))].filter(
      (located) =>
        Object.keys(located?.operation.responses['429']?.headers ?? {})
          .sort()
          .join() !== 'RateLimit,RateLimit-Policy,Retry-After',
    );
    expect(missing.map((located) => located?.operation.operationId)).toStrictEqual([]);
  });

  it('describe no request body with a default, so minimal bodies type-check', () => {
    const found = operations(document).flatMap(({ operation }) =>
      Object.values(operation.requestBody?.content ?? {}).flatMap(({ schema }) =>
        defaultsIn(schema).map((where) => `${operation.operationId}: ${where}`),
      ),
    );
    expect(found).toStrictEqual([]);
  });
});

describe('/openapi.json security', () => {
  it('describes the oauth2 code flow with every scope and its description', () => {
    expect(document.components.securitySchemes.oauth2).toStrictEqual({
      type: 'oauth2',
      description: expect.any(String),
      flows: {
        authorizationCode: {
          authorizationUrl: 'http://localhost/oauth/authorize',
          tokenUrl: 'http://localhost/oauth/token',
          refreshUrl: 'http://localhost/oauth/token',
          scopes: Object.fromEntries(SCOPES.map((scope) => [scope, SCOPE_DESCRIPTIONS[scope]])),
        },
      },
    });
  });

  it.each([
    ['getActivity', [{ oauth2: ['data:read'] }, { personalKey: ['data:read'] }]],
    ['createTrace', [{ oauth2: ['data:write'] }, { personalKey: ['data:write'] }]],
    ['getProfile', [{ oauth2: ['profile'] }, { personalKey: ['profile'] }]],
    ['getProfileAppMetadata', [{ oauth2: ['profile'] }]],
    ['patchTestAppMetadata', [{ oauth2: ['data:write'] }]],
    ['putMetadataEntry', [{ oauth2: ['metadata.write'] }]],
    ['listChanges', [{ oauth2: ['data:read'] }, { oauth2: ['metadata.read'] }]],
    ['listApiKeys', [{ personalKey: ['profile'] }, { session: [] }]],
    ['exportProfile', [{ personalKey: ['account'] }, { session: [] }]],
    ['createApplication', [{ adminAuth: [] }]],
    ['createApplicationWebhook', [{ adminAuth: [] }]],
    ['listWebhooks', [{ clientBasic: [] }]],
    ['requestToken', [{ clientBasic: [] }, {}]],
    ['getHealth', []],
  ])('gives %s the security its guard checks', (operationId, security) => {
    expect(byId(operationId)?.operation.security).toStrictEqual(security);
  });
});

describe('/openapi.json query parameters', () => {
  it.each([
    ['listActivities', 'limit', { type: 'integer', minimum: 1, maximum: 500 }],
    ['listTraces', 'offset', { type: 'integer', minimum: 0, maximum: 1_000_000_000 }],
    ['listChanges', 'limit', { type: 'integer', minimum: 1, maximum: 500 }],
    ['listTests', 'sort', { type: 'string', enum: ['updated_at'] }],
    ['listActivities', 'updated_since', { type: 'string', format: 'date-time' }],
  ])('%s documents %s with its real type', (operationId, name, expected) => {
    const parameter = byId(operationId)?.operation.parameters?.find((p) => p.name === name);
    expect(parameter?.schema).toMatchObject(expected);
  });
});

describe('the response check', () => {
  const profile = () => byId('getProfile')!;
  const valid = {
    id: 'usr_1',
    email: 'a@example.test',
    first_name: 'A',
    last_name: 'B',
    display_name: 'A B',
    registered_at: '2026-01-01T00:00:00Z',
  };

  it('accepts a body that matches the documented schema', () => {
    expect(responseIssues(document, profile(), 200, 'application/json', valid)).toStrictEqual([]);
  });

  it.each([
    ['an undocumented member', { ...valid, password_hash: 'x' }],
    ['a missing member', { ...valid, email: undefined }],
    ['a member of the wrong type', { ...valid, first_name: 7 }],
  ])('rejects %s', (_, body) => {
    expect(responseIssues(document, profile(), 200, 'application/json', body)).not.toStrictEqual(
      [],
    );
  });

  it('rejects a status the operation does not document', () => {
    expect(responseIssues(document, profile(), 418, null, undefined)).toStrictEqual([
      'status 418 is not documented',
    ]);
  });
});
