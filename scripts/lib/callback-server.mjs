// The demo application's redirect target for local development: a page on 127.0.0.1 that
// shows the authorization code it receives and the exact curl line that exchanges it, and
// its webhook endpoint (POST /webhooks), which prints each event and whether its Standard
// Webhooks signature verified.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const WEBHOOK_BODY_MAX_BYTES = 64 * 1024;

/** Reads at most WEBHOOK_BODY_MAX_BYTES of the request body as text; null when larger. */
async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > WEBHOOK_BODY_MAX_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Verifies and prints one delivery; answers 204 when it verified, 400 otherwise. */
async function receiveWebhook(request, response, secret) {
  const body = await readBody(request);
  let verified = false;
  let event = null;
  try {
    event = new Webhook(secret).verify(body ?? '', request.headers);
    verified = true;
  } catch {
    try {
      event = JSON.parse(body ?? '');
    } catch {
      event = null;
    }
  }
  const { type = '?', id = request.headers['webhook-id'], data = {} } = event ?? {};
  const subject = [data.entity_type, data.entity_id, data.key].filter(Boolean).join(' ');
  console.log(
    `[webhook] ${type} ${id} ${subject} signature ${verified ? 'verified' : 'NOT verified'}`,
  );
  response.writeHead(verified ? 204 : 400).end();
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
pre{background:#f3f4f6;padding:1rem;border-radius:8px;white-space:pre-wrap;word-break:break-all}</style>
</head><body>${body}</body></html>`;
}

export function startCallbackServer({
  port,
  origin,
  clientId,
  clientSecret,
  redirectUri,
  codeVerifier,
  webhookSecret,
}) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/webhooks' && request.method === 'POST') {
      receiveWebhook(request, response, webhookSecret).catch(() => response.writeHead(500).end());
      return;
    }
    if (url.pathname !== '/callback') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    const html = error
      ? page(
          'Authorization failed',
          `<h1>Authorization failed</h1><p><code>${escapeHtml(error)}</code></p>`,
        )
      : page(
          'Authorization code received',
          `<h1>Demo app: authorization code received</h1>
<p>Exchange it within a minute (codes are single-use and short-lived):</p>
<pre>curl -s -u '${escapeHtml(clientId)}:${escapeHtml(clientSecret)}' \\
  -d grant_type=authorization_code \\
  -d code='${escapeHtml(code ?? '')}' \\
  --data-urlencode redirect_uri='${escapeHtml(redirectUri)}' \\
  -d code_verifier='${escapeHtml(codeVerifier)}' \\
  ${escapeHtml(origin)}/oauth/token</pre>
<p>Then call the API with the <code>access_token</code> it returns:</p>
<pre>curl -s -H "Authorization: Bearer $ACCESS_TOKEN" ${escapeHtml(origin)}/api/v1/activities</pre>`,
        );
    response
      .writeHead(error ? 400 : 200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      })
      .end(html);
  });
  server.on('error', (error) => console.warn(`Demo callback page not started: ${error.message}`));
  server.listen(port, '127.0.0.1');
  return server;
}
