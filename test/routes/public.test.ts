/** Public endpoints: /health, /.well-known/jwks.json, /openapi.json, /docs, unknown paths. */
import { describe, expect, it } from 'vitest';
import { testSigningKeys } from '../helpers/keys.config';
import { apiError, call } from '../helpers/worker';

describe('GET /health', () => {
  it('answers {"status":"ok"}', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ status: 'ok' });
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes both keys with public members only', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toStrictEqual(
      testSigningKeys.keys.map((key) => ({
        kty: 'EC',
        crv: 'P-256',
        x: key.x,
        y: key.y,
        kid: key.kid,
        alg: 'ES256',
        use: 'sig',
      })),
    );
    expect(JSON.stringify(body)).not.toMatch(/"d"/);
  });
});

/** Every route the edge API serves, as OpenAPI paths. */
const ROUTES: Array<[string, string[]]> = [
  ['/api/v1/profile', ['get']],
  ['/api/v1/profile/app-metadata', ['get', 'put', 'patch', 'delete']],
  ...['activities', 'traces', 'tests'].flatMap((kind): Array<[string, string[]]> => [
    [`/api/v1/${kind}`, ['get', 'post']],
    [`/api/v1/${kind}/{id}`, ['get', 'put', 'delete']],
    [`/api/v1/${kind}/{id}/app-metadata`, ['get', 'put', 'patch', 'delete']],
    [`/api/v1/${kind}/app-metadata/batch-get`, ['post']],
    [`/api/v1/${kind}/app-metadata/batch-put`, ['post']],
  ]),
  ['/api/v1/admin/applications', ['get', 'post']],
  ['/api/v1/admin/applications/{client_id}', ['delete']],
  ['/api/v1/admin/users', ['post']],
];

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; info: { title: string } };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toEqual(expect.any(String));
  });

  it.each(ROUTES)('lists %s with its methods', async (path, methods) => {
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths[path] ?? {}).sort()).toStrictEqual([...methods].sort());
  });

  it('documents the personal-key and admin bearer schemes beside oauth2', async () => {
    const doc = (await (await call('/openapi.json')).json()) as {
      components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
    };
    expect(doc.components.securitySchemes.personalKey?.scheme).toBe('bearer');
    expect(doc.components.securitySchemes.adminAuth?.scheme).toBe('bearer');
    expect(doc.components.securitySchemes.oauth2?.type).toBe('oauth2');
  });

  it('documents the sync parameters, Link and Idempotency-Key (spec §14)', async () => {
    type Operation = {
      parameters: Array<{ name: string; in: string }>;
      responses: Record<string, { headers?: Record<string, unknown> }>;
    };
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, { get: Operation; post: Operation }>;
    };
    const list = doc.paths['/api/v1/activities'];
    const names = (operation?: Operation) => operation?.parameters.map((p) => p.name) ?? [];
    expect(names(list?.get)).toEqual(
      expect.arrayContaining([
        'cursor',
        'sort',
        'updated_since',
        'created_by',
        'app_metadata.has',
        'app_metadata.missing',
      ]),
    );
    expect(Object.keys(list?.get.responses['200']?.headers ?? {})).toStrictEqual([
      'Appmeta-Bookmark',
      'Link',
    ]);
    expect(names(list?.post)).toContain('idempotency-key');
  });

  it('documents PATCH bodies as application/merge-patch+json', async () => {
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, { patch: { requestBody: { content: Record<string, unknown> } } }>;
    };
    const content = doc.paths['/api/v1/activities/{id}/app-metadata']?.patch.requestBody.content;
    expect(Object.keys(content ?? {})).toStrictEqual(['application/merge-patch+json']);
  });
});

describe('GET /docs', () => {
  it('answers a 200 HTML page', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    expect(await res.text()).toContain('/openapi.json');
  });
});

describe('unknown paths', () => {
  it('answer 404 not_found in the error shape', async () => {
    const res = await call('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });
});

describe('GET /openapi.json: the OAuth endpoints', () => {
  type Doc = {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  it.each([
    ['/oauth/token', ['post']],
    ['/oauth/revoke', ['post']],
    ['/.well-known/oauth-authorization-server', ['get']],
    ['/.well-known/jwks.json', ['get']],
  ])('lists %s with its methods', async (path, methods) => {
    const doc = (await (await call('/openapi.json')).json()) as Doc;
    expect(Object.keys(doc.paths[path] ?? {})).toStrictEqual(methods);
  });

  it.each(['/oauth/token', '/oauth/revoke'])(
    'documents %s with a form-encoded body',
    async (path) => {
      const doc = (await (await call('/openapi.json')).json()) as Doc;
      expect(Object.keys(doc.paths[path]?.post?.requestBody?.content ?? {})).toStrictEqual([
        'application/x-www-form-urlencoded',
      ]);
    },
  );

  it('describes errors in the RFC 6749 §5.2 shape', async () => {
    const doc = (await (await call('/openapi.json')).json()) as Doc;
    expect(Object.keys(doc.components.schemas.OAuthError?.properties ?? {})).toStrictEqual([
      'error',
      'error_description',
    ]);
  });
});
