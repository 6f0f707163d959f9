/**
 * The consent page: the app's name and the scopes it asks for, in plain words. The form
 * carries only the transaction handle and the CSRF token; what is approved is whatever the
 * server-side transaction holds (security.md: consent bound to the transaction).
 */
import { SCOPE_DESCRIPTIONS, type Scope } from '../auth/scopes';
import { Layout } from './layout';

export function ConsentPage(props: {
  appName: string;
  scopes: Scope[];
  userEmail: string;
  csrf: string;
  tx: string;
  redirectHost: string;
}) {
  return (
    <Layout title={`Allow ${props.appName}?`}>
      <h1>
        Allow <strong>{props.appName}</strong> to access your account?
      </h1>
      <p class="muted">Signed in as {props.userEmail}</p>
      <p>{props.appName} is asking to:</p>
      <ul class="scopes">
        {props.scopes.map((scope) => (
          <li>{SCOPE_DESCRIPTIONS[scope]}</li>
        ))}
      </ul>
      <p class="muted">
        You will be sent back to {props.redirectHost}. You can revoke this access at any time in
        your settings.
      </p>
      <form method="post" action="/oauth/consent">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="tx" value={props.tx} />
        <div class="actions">
          <button type="submit" name="decision" value="deny">
            Deny
          </button>
          <button class="primary" type="submit" name="decision" value="approve">
            Allow
          </button>
        </div>
      </form>
    </Layout>
  );
}
