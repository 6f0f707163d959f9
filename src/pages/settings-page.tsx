/** /settings: the apps the user has authorized (with revoke) and their personal API keys. */
import { ACCOUNT_SCOPE, PERSONAL_KEY_SCOPES, SCOPE_DESCRIPTIONS } from '../auth/scopes';
import { formatTimestamp } from '../entities/time';
import type { ApiKey } from '../storage/api-keys';
import type { AuthorizationView } from '../storage/user-authorizations';
import { Layout } from './layout';

export interface SettingsProps {
  email: string;
  csrf: string;
  authorizations: AuthorizationView[];
  keys: ApiKey[];
  notice?: string;
  error?: string;
  newKey?: { name: string; token: string };
}

const day = (seconds: number) => formatTimestamp(seconds).slice(0, 10);

function Csrf(props: { csrf: string }) {
  return <input type="hidden" name="csrf" value={props.csrf} />;
}

function Apps(props: { csrf: string; authorizations: AuthorizationView[] }) {
  if (props.authorizations.length === 0) {
    return <p class="muted">You have not authorized any apps.</p>;
  }
  return (
    <table>
      <thead>
        <tr>
          <th>App</th>
          <th>Can</th>
          <th>Since</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.authorizations.map((item) => (
          <tr>
            <td>
              <strong>{item.appName}</strong>
              {item.appDisabled ? <div class="muted">disabled by the administrator</div> : null}
            </td>
            <td>
              {item.scopes.map((scope) => (
                <div>{SCOPE_DESCRIPTIONS[scope]}</div>
              ))}
            </td>
            <td>{day(item.createdAt)}</td>
            <td>
              <form method="post" action="/settings/authorizations/revoke">
                <Csrf csrf={props.csrf} />
                <input type="hidden" name="client_id" value={item.clientId} />
                <button
                  class="danger"
                  type="submit"
                  aria-label={`Revoke access for ${item.appName}`}
                >
                  Revoke
                </button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Keys(props: { csrf: string; keys: ApiKey[] }) {
  if (props.keys.length === 0) return <p class="muted">No personal API keys yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Name</th>
          <th>Scopes</th>
          <th>Expires</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((key) => (
          <tr>
            <td>{key.name}</td>
            <td>{key.scopes.join(', ')}</td>
            <td>{key.expiresAt === null ? 'never' : day(key.expiresAt)}</td>
            <td>
              <form method="post" action="/settings/api-keys/revoke">
                <Csrf csrf={props.csrf} />
                <input type="hidden" name="id" value={key.id} />
                <button class="danger" type="submit" aria-label={`Revoke key ${key.name}`}>
                  Revoke
                </button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewKeyForm(props: { csrf: string }) {
  return (
    <form method="post" action="/settings/api-keys">
      <Csrf csrf={props.csrf} />
      <label for="key-name">Name</label>
      <input
        id="key-name"
        name="name"
        type="text"
        maxlength={100}
        required
        placeholder="e.g. my training script"
      />
      <label>Scopes</label>
      <div class="checks">
        {PERSONAL_KEY_SCOPES.map((scope) => (
          <label>
            <input type="checkbox" name={`scope.${scope}`} value="on" /> <code>{scope}</code> —{' '}
            {scope === ACCOUNT_SCOPE ? (
              <strong>{SCOPE_DESCRIPTIONS[scope]} Only give it to a script you trust.</strong>
            ) : (
              SCOPE_DESCRIPTIONS[scope]
            )}
          </label>
        ))}
      </div>
      <label for="key-expiry">Expires</label>
      <select id="key-expiry" name="expires_in_days">
        <option value="30">in 30 days</option>
        <option value="90">in 90 days</option>
        <option value="365">in a year</option>
        <option value="never">never</option>
      </select>
      <div class="actions">
        <button class="primary" type="submit">
          Create key
        </button>
      </div>
    </form>
  );
}

export function SettingsPage(props: SettingsProps) {
  return (
    <Layout title="Settings" wide>
      <div class="row">
        <div>
          <h1>Your apps and keys</h1>
          <p class="muted">Signed in as {props.email}</p>
        </div>
        <form method="post" action="/logout">
          <Csrf csrf={props.csrf} />
          <button type="submit">Sign out</button>
        </form>
      </div>
      {props.notice ? <p class="notice">{props.notice}</p> : null}
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.newKey ? (
        <div class="notice">
          <p>
            Your new key <strong>{props.newKey.name}</strong>. Copy it now: it will not be shown
            again.
          </p>
          <code class="secret" id="new-key">
            {props.newKey.token}
          </code>
        </div>
      ) : null}
      <h2>Authorized apps</h2>
      <Apps csrf={props.csrf} authorizations={props.authorizations} />
      <h2>Personal API keys</h2>
      <Keys csrf={props.csrf} keys={props.keys} />
      <h2>Create a personal API key</h2>
      <NewKeyForm csrf={props.csrf} />
    </Layout>
  );
}
