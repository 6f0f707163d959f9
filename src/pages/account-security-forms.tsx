/** /settings forms that end access everywhere: change the password, sign out everywhere. */
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../config';
import { Field, PostForm, Submit } from './layout';

const CURRENT_PASSWORD = {
  name: 'current_password',
  label: 'Current password',
  type: 'password',
  autocomplete: 'current-password',
  required: true,
} as const;

const NEW_PASSWORD = {
  name: 'new_password',
  label: 'New password',
  type: 'password',
  autocomplete: 'new-password',
  minlength: PASSWORD_MIN_CHARS,
  maxlength: PASSWORD_MAX_CHARS,
  required: true,
} as const;

export function PasswordForm(props: { csrf: string }) {
  return (
    <PostForm action="/settings/password" csrf={props.csrf}>
      <Field {...CURRENT_PASSWORD} />
      <Field {...NEW_PASSWORD} />
      <p class="muted">
        Changing it signs you out everywhere else and ends every app's access token and every
        personal key; apps stay authorized and sign in again.
      </p>
      <Submit label="Change password" />
    </PostForm>
  );
}

export function SignOutEverywhereForm(props: { csrf: string }) {
  return (
    <PostForm action="/settings/sign-out-everywhere" csrf={props.csrf}>
      <p class="muted">
        Ends every other session, every app's access and refresh tokens, and every personal key.
        Apps stay authorized.
      </p>
      <button type="submit">Sign out everywhere</button>
    </PostForm>
  );
}
