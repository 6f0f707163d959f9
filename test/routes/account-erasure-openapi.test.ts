/** /openapi.json documents the erasure endpoints, each with an operationId and its security. */
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/worker';

interface Operation {
  operationId?: string;
  security?: unknown;
  responses: Record<string, unknown>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

describe('OpenAPI document for account erasure', () => {
  it.each([
    ['/api/v1/profile', 'delete', 'deleteProfile', [{ session: [] }], ['204', '403', '429']],
    ['/api/v1/admin/users', 'get', 'findUsers', [{ adminAuth: [] }], ['200', '400', '401']],
    ['/api/v1/admin/users/{id}', 'delete', 'deleteUser', [{ adminAuth: [] }], ['204', '404']],
  ])('documents %s %s as %s', async (path, method, operationId, security, statuses) => {
    const document = (await (await call('/openapi.json')).json()) as OpenApiDocument;
    const operation = document.paths[path]?.[method];
    expect(operation?.operationId).toBe(operationId);
    expect(operation?.security).toStrictEqual(security);
    for (const status of statuses) expect(operation?.responses).toHaveProperty(status);
  });

  it('describes the session cookie scheme', async () => {
    const document = (await (await call('/openapi.json')).json()) as OpenApiDocument;
    expect(document.components.securitySchemes.session).toStrictEqual({
      type: 'apiKey',
      in: 'cookie',
      name: '__Host-am_session',
      description: expect.any(String),
    });
  });
});
