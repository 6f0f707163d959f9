/** Login and signup forms: plain HTML posts that work without JavaScript. */
import { Layout } from './layout';

export interface AccountFormProps {
  csrf: string;
  /** The pending authorization request this login continues, if any. */
  tx: string | null;
  error?: string;
  email?: string;
  appName?: string;
  signupEnabled: boolean;
}

function TxInputs(props: { csrf: string; tx: string | null }) {
  return (
    <>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.tx ? <input type="hidden" name="tx" value={props.tx} /> : null}
    </>
  );
}

export function LoginPage(props: AccountFormProps) {
  const signup = props.tx ? `/signup?tx=${encodeURIComponent(props.tx)}` : '/signup';
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p class="muted">
        {props.appName ? `to continue to ${props.appName}` : 'to manage your apps and API keys'}
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/login">
        <TxInputs csrf={props.csrf} tx={props.tx} />
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <div class="actions">
          <button class="primary" type="submit">
            Sign in
          </button>
        </div>
      </form>
      {props.signupEnabled ? (
        <p class="muted" style="margin-top:18px">
          New here? <a href={signup}>Create an account</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function SignupPage(props: AccountFormProps & { firstName?: string; lastName?: string }) {
  return (
    <Layout title="Create your account">
      <h1>Create your account</h1>
      <p class="muted">
        {props.appName ? `then continue to ${props.appName}` : 'It takes a minute.'}
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/signup">
        <TxInputs csrf={props.csrf} tx={props.tx} />
        <label for="first_name">First name</label>
        <input
          id="first_name"
          name="first_name"
          type="text"
          autocomplete="given-name"
          required
          value={props.firstName ?? ''}
        />
        <label for="last_name">Last name</label>
        <input
          id="last_name"
          name="last_name"
          type="text"
          autocomplete="family-name"
          value={props.lastName ?? ''}
        />
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
        />
        <label for="password">Password (at least 8 characters)</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength={8}
          required
        />
        <div class="actions">
          <button class="primary" type="submit">
            Create account
          </button>
        </div>
      </form>
      <p class="muted" style="margin-top:18px">
        Already have an account?{' '}
        <a href={props.tx ? `/login?tx=${encodeURIComponent(props.tx)}` : '/login'}>Sign in</a>
      </p>
    </Layout>
  );
}
