/**
 * Registers this app's /webhooks with appmeta through the application's own webhook API
 * (`/api/v1/app/webhooks`, HTTP Basic with the client id and secret, spec §13). A signing
 * secret is shown only once, so an endpoint left by an earlier run at the same URL is deleted
 * and a new one created: the secret returned is the one deliveries will be signed with.
 */
export interface EndpointOwner {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

interface Endpoint {
  id: string;
  url: string;
  secret?: string;
}

export async function registerWebhookEndpoint(
  owner: EndpointOwner,
  url: string,
  fetchImpl: (input: URL, init?: RequestInit) => Promise<Response> = fetch,
): Promise<string> {
  const collection = new URL('/api/v1/app/webhooks', owner.baseUrl);
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic.
  const basic = btoa(
    `${encodeURIComponent(owner.clientId)}:${encodeURIComponent(owner.clientSecret)}`,
  );
  const headers = { Authorization: `Basic ${basic}` };
  const listed = await expectOk(await fetchImpl(collection, { headers }), 'list webhook endpoints');
  for (const endpoint of (listed as { data: Endpoint[] }).data) {
    if (endpoint.url !== url) continue;
    const gone = await fetchImpl(new URL(`/api/v1/app/webhooks/${endpoint.id}`, owner.baseUrl), {
      method: 'DELETE',
      headers,
    });
    if (!gone.ok && gone.status !== 404) throw new Error(`delete webhook endpoint: ${gone.status}`);
  }
  const created = await fetchImpl(collection, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  const endpoint = (await expectOk(created, 'create a webhook endpoint')) as Endpoint;
  if (endpoint.secret === undefined) throw new Error('the new webhook endpoint has no secret');
  return endpoint.secret;
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
