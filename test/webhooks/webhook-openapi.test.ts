/** /openapi.json documents the change feed, the webhook endpoints and the event payload. */
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/worker';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('OpenAPI document for Part II events', () => {
  it('lists the feed, both webhook mounts and the Event schema', async () => {
    const response = await call('/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(Object.keys(document.paths['/api/v1/changes'] ?? {})).toStrictEqual(['get']);
    for (const prefix of [
      '/api/v1/admin/applications/{client_id}/webhooks',
      '/api/v1/app/webhooks',
    ]) {
      expect(Object.keys(document.paths[prefix] ?? {}).sort()).toStrictEqual(['get', 'post']);
      expect(Object.keys(document.paths[`${prefix}/{id}`] ?? {}).sort()).toStrictEqual([
        'delete',
        'patch',
      ]);
      expect(document.paths[`${prefix}/{id}/secret`]).toHaveProperty('post');
      expect(document.paths[`${prefix}/{id}/deliveries`]).toHaveProperty('get');
      expect(document.paths[`${prefix}/{id}/deliveries/{event_id}/retry`]).toHaveProperty('post');
    }
    for (const schema of ['Event', 'ChangeFeed', 'WebhookEndpoint', 'WebhookDelivery']) {
      expect(document.components.schemas).toHaveProperty(schema);
    }
    expect(document.components.securitySchemes).toHaveProperty('clientBasic');
  });
});
