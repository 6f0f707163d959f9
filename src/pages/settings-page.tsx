import type { Child } from 'hono/jsx';
/**
 * /settings: the apps the user has authorized (with what each keeps about them, and revoke),
 * their personal API keys, password, sign-out everywhere and account deletion.
 */
import { ACCOUNT_SCOPE, PERSONAL_KEY_SCOPES, SCOPE_DESCRIPTIONS } from '../auth/scopes';
import { PasswordForm, SignOutEverywhereForm } from './account-security-forms';
import { formatTimestamp } from '../entities/time';
import type { ApiKey } from '../storage/api-keys';
import type { AppDataSummary } from '../storage/app-data';
import type { AuthorizationView } from '../storage/user-authorizations';
import { AppDataCell, DeleteAccountSection } from './account-data-pages';
import { Csrf, ErrorNote, Field, Layout, PostForm } from './layout';

export interface SettingsProps {
  email: string;
  csrf: string;
  authorizations: AppDataSummary[];
  keys: ApiKey[];
  notice?: string;
  error?: string;
  newKey?: { name: string; token: string };
}

const day = (seconds: number) => formatTimestamp(seconds).slice(0, 10);

/** A table with a header row and the rows given. */
function Table(props: { headers: string[]; children: Child }) {
  return (
    <table>
      <thead>
        <tr>
          {props.headers.map((header) => (
            <th>{header}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** A one-button form post that revokes one thing. */
function RevokeForm(props: {
  action: string;
  csrf: string;
  field: string;
  value: string;
  label: string;
}) {
  return (
    <PostForm action={props.action} csrf={props.csrf}>
      <input type="hidden" name={props.field} value={props.value} />
      <button class="danger" type="submit" aria-label={props.label}>
        Revoke
      </button>
    </PostForm>
  );
}

const appRevocation = (item: AuthorizationView) => ({
  action: '/settings/authorizations/revoke',
  field: 'client_id',
  value: item.clientId,
  label: `Revoke access for ${item.appName}`,
});

const keyRevocation = (key: ApiKey) => ({
  action: '/settings/api-keys/revoke',
  field: 'id',
  value: key.id,
  label: `Revoke key ${key.name}`,
});

function Apps(props: { csrf: string; authorizations: AppDataSummary[] }) {
  if (props.authorizations.length === 0) {
    return <p class="muted">You have not authorized any apps.</p>;
  }
  return (
    <Table headers={['App', 'Can', 'Since', 'Keeps about you', '']}>
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
            <AppDataCell summary={item} />
          </td>
          <td>
            <RevokeForm csrf={props.csrf} {...appRevocation(item)} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

function Keys(props: { csrf: string; keys: ApiKey[] }) {
  if (props.keys.length === 0) return <p class="muted">No personal API keys yet.</p>;
  return (
    <Table headers={['Name', 'Scopes', 'Expires', '']}>
      {props.keys.map((key) => (
        <tr>
          <td>{key.name}</td>
          <td>{key.scopes.join(', ')}</td>
          <td>{key.expiresAt === null ? 'never' : day(key.expiresAt)}</td>
          <td>
            <RevokeForm csrf={props.csrf} {...keyRevocation(key)} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

function NewKeyForm(props: { csrf: string }) {
  return (
    <PostForm action="/settings/api-keys" csrf={props.csrf}>
      <Field
        name="name"
        label="Name"
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
    </PostForm>
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
      <ErrorNote message={props.error} />
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
      <h2>Password</h2>
      <PasswordForm csrf={props.csrf} />
      <h2>Sign out everywhere</h2>
      <SignOutEverywhereForm csrf={props.csrf} />
      <h2>Delete your account</h2>
      <DeleteAccountSection />
    </Layout>
  );
}
