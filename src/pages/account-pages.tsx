/** Login and signup forms: plain HTML posts that work without JavaScript. */
import { PASSWORD_MIN_CHARS } from '../config';
import { ErrorNote, Field, Layout, Submit } from './layout';

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
      <ErrorNote message={props.error} />
      <form method="post" action="/login">
        <TxInputs csrf={props.csrf} tx={props.tx} />
        <Field
          name="email"
          label="Email"
          type="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
        />
        <Submit label="Sign in" />
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
      <ErrorNote message={props.error} />
      <form method="post" action="/signup">
        <TxInputs csrf={props.csrf} tx={props.tx} />
        <Field
          name="first_name"
          label="First name"
          autocomplete="given-name"
          required
          value={props.firstName ?? ''}
        />
        <Field
          name="last_name"
          label="Last name"
          autocomplete="family-name"
          value={props.lastName ?? ''}
        />
        <Field
          name="email"
          label="Email"
          type="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
        />
        <Field
          name="password"
          label={`Password (at least ${PASSWORD_MIN_CHARS} characters)`}
          type="password"
          autocomplete="new-password"
          minlength={PASSWORD_MIN_CHARS}
          required
        />
        <Submit label="Create account" />
      </form>
      <p class="muted" style="margin-top:18px">
        Already have an account?{' '}
        <a href={props.tx ? `/login?tx=${encodeURIComponent(props.tx)}` : '/login'}>Sign in</a>
      </p>
    </Layout>
  );
}
