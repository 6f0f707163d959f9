/** Login and signup forms: plain HTML posts that work without JavaScript. */
import type { Child } from 'hono/jsx';
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

/** An account form page: title, a line under it, the error if any, and the form post. */
function FormPage(props: {
  title: string;
  subtitle: string;
  action: string;
  form: AccountFormProps;
  footer: Child;
  children: Child;
}) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p class="muted">{props.subtitle}</p>
      <ErrorNote message={props.form.error} />
      <form method="post" action={props.action}>
        <TxInputs csrf={props.form.csrf} tx={props.form.tx} />
        {props.children}
      </form>
      {props.footer}
    </Layout>
  );
}

const EmailField = (props: { email?: string }) => (
  <Field
    name="email"
    label="Email"
    type="email"
    autocomplete="username"
    required
    value={props.email ?? ''}
  />
);

export function LoginPage(props: AccountFormProps) {
  const signup = props.tx ? `/signup?tx=${encodeURIComponent(props.tx)}` : '/signup';
  const footer = props.signupEnabled ? (
    <p class="muted" style="margin-top:18px">
      New here? <a href={signup}>Create an account</a>
    </p>
  ) : null;
  const subtitle = props.appName
    ? `to continue to ${props.appName}`
    : 'to manage your apps and API keys';
  return (
    <FormPage title="Sign in" subtitle={subtitle} action="/login" form={props} footer={footer}>
      <EmailField email={props.email} />
      <Field
        name="password"
        label="Password"
        type="password"
        autocomplete="current-password"
        required
      />
      <Submit label="Sign in" />
    </FormPage>
  );
}

export function SignupPage(props: AccountFormProps & { firstName?: string; lastName?: string }) {
  const login = props.tx ? `/login?tx=${encodeURIComponent(props.tx)}` : '/login';
  const footer = (
    <p class="muted" style="margin-top:18px">
      Already have an account? <a href={login}>Sign in</a>
    </p>
  );
  const subtitle = props.appName ? `then continue to ${props.appName}` : 'It takes a minute.';
  return (
    <FormPage
      title="Create your account"
      subtitle={subtitle}
      action="/signup"
      form={props}
      footer={footer}
    >
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
      <EmailField email={props.email} />
      <Field
        name="password"
        label={`Password (at least ${PASSWORD_MIN_CHARS} characters)`}
        type="password"
        autocomplete="new-password"
        minlength={PASSWORD_MIN_CHARS}
        required
      />
      <Submit label="Create account" />
    </FormPage>
  );
}
