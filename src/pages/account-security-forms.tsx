/** /settings forms that end access everywhere: change the password, sign out everywhere. */
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../config';
import { Csrf, Field, Submit } from './layout';

export function PasswordForm(props: { csrf: string }) {
  return (
    <form method="post" action="/settings/password">
      <Csrf csrf={props.csrf} />
      <Field
        name="current_password"
        label="Current password"
        type="password"
        autocomplete="current-password"
        required
      />
      <Field
        name="new_password"
        label="New password"
        type="password"
        autocomplete="new-password"
        minlength={PASSWORD_MIN_CHARS}
        maxlength={PASSWORD_MAX_CHARS}
        required
      />
      <p class="muted">
        Changing it signs you out everywhere else and ends every app's access token and every
        personal key; apps stay authorized and sign in again.
      </p>
      <Submit label="Change password" />
    </form>
  );
}

export function SignOutEverywhereForm(props: { csrf: string }) {
  return (
    <form method="post" action="/settings/sign-out-everywhere">
      <Csrf csrf={props.csrf} />
      <p class="muted">
        Ends every other session, every app's access and refresh tokens, and every personal key.
        Apps stay authorized.
      </p>
      <button type="submit">Sign out everywhere</button>
    </form>
  );
}
