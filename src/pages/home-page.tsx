/** GET /: the front door for people — what appmeta is and where to go next (spec §15). */
import { Layout } from './layout';

const LINKS: ReadonlyArray<readonly [href: string, label: string, what: string]> = [
  ['/login', 'Sign in', 'to your account'],
  ['/signup', 'Create an account', 'to keep your activities, traces and tests'],
  ['/settings', 'Settings', 'the apps you have authorized and your personal API keys'],
  ['/docs', 'API reference', 'every endpoint, for developers (also as /openapi.json)'],
  [
    '/docs/client/',
    'Client library reference',
    '@appmeta/client for TypeScript, and its Hono sign-in',
  ],
  ['/.well-known/oauth-authorization-server', 'OAuth metadata', 'RFC 8414, for client libraries'],
  ['/health', 'Health', 'is the service up'],
];

export function HomePage() {
  return (
    <Layout title="Your training data, your apps" wide>
      <h1>appmeta</h1>
      <p>
        A home for your sports data: activities, traces such as blood lactate, and tests. You keep
        them here and decide which apps may read or change them, and each app you allow can keep its
        own private notes about your data that no other app sees.
      </p>
      <p class="muted">
        For developers: appmeta is an OAuth 2 authorization server (authorization code with PKCE)
        and a JSON API. Register an application with the administrator, send people through
        /oauth/authorize, and call /api/v1 with the access token.
      </p>
      <h2>Where to go</h2>
      <ul class="links">
        {LINKS.map(([href, label, what]) => (
          <li>
            <a href={href}>{label}</a> <span class="muted">— {what}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
