/** /settings forms that end access everywhere: change the password, sign out everywhere. */
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../config';
import { Csrf } from './layout';

export function PasswordForm(props: { csrf: string }) {
  return (
    <form method="post" action="/settings/password">
      <Csrf csrf={props.csrf} />
      <label for="current-password">Current password</label>
      <input
        id="current-password"
        name="current_password"
        type="password"
        autocomplete="current-password"
        required
      />
      <label for="new-password">New password</label>
      <input
        id="new-password"
        name="new_password"
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
      <div class="actions">
        <button class="primary" type="submit">
          Change password
        </button>
      </div>
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
