/** The page shown when the browser must not be sent back to the client (RFC 6749 §4.1.2.1). */
import { Layout } from './layout';

export function ErrorPage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p class="error" role="alert">
        {props.message}
      </p>
      <p class="muted">
        If an app sent you here, tell its developers. You have not been sent anywhere else.
      </p>
    </Layout>
  );
}

/** A form post whose CSRF token or Origin did not verify. */
export const FORM_REFUSED = {
  title: 'Request refused',
  message: 'This form could not be verified. Reload the page and try again.',
};
