// The demo application's redirect target for local development: a page on 127.0.0.1 that
// shows the authorization code it receives and the exact curl line that exchanges it.
import { createServer } from 'node:http';

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
}) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
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
