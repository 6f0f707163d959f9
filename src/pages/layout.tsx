/**
 * The shell of every server-rendered page: a small, self-contained stylesheet (no scripts, no
 * external assets), and `page()` which sends it with the headers pages need: a strict CSP
 * with `frame-ancestors 'none'` (clickjacking), and no caching.
 */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../env';
import { PAGE_CSP } from '../http/content-security-policy';

const STYLE = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2330;--muted:#5d6576;--line:#dfe2e8;--accent:#2457d6;--accent-text:#fff;--danger:#b42318;--ok:#067647}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--card:#1b2029;--text:#e7eaf0;--muted:#9aa3b2;--line:#2c3340;--accent:#5b8cff;--accent-text:#0b1020;--danger:#ff8a80;--ok:#6ce9a6}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text)}
header{padding:18px 24px}header .brand{font-weight:700;letter-spacing:.02em;color:var(--text);text-decoration:none}
main{display:flex;justify-content:center;padding:8px 16px 48px}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:28px;width:100%;max-width:440px;box-shadow:0 8px 24px rgba(0,0,0,.06)}
.card.wide{max-width:760px}
h1{font-size:1.45rem;margin:0 0 6px}h2{font-size:1.1rem;margin:28px 0 10px}p{margin:0 0 14px}.muted{color:var(--muted)}
label{display:block;font-weight:600;margin:14px 0 6px}
input[type=email],input[type=password],input[type=text],input[type=date],select{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:8px;background:transparent;color:inherit;font:inherit}
input:focus,button:focus{outline:3px solid color-mix(in srgb,var(--accent) 45%,transparent);outline-offset:1px}
button{font:inherit;font-weight:600;border-radius:8px;padding:10px 16px;border:1px solid var(--line);background:transparent;color:inherit;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
button.danger{color:var(--danger);border-color:currentColor;padding:6px 12px}
.actions{display:flex;gap:10px;margin-top:22px}.actions button{flex:1}
.error{background:color-mix(in srgb,var(--danger) 12%,transparent);color:var(--danger);border-radius:8px;padding:10px 12px;margin:12px 0}
.notice{background:color-mix(in srgb,var(--ok) 12%,transparent);border-radius:8px;padding:10px 12px;margin:12px 0}
ul.scopes{list-style:none;padding:0;margin:14px 0}ul.scopes li{padding:8px 0 8px 28px;position:relative;border-top:1px solid var(--line)}
ul.scopes li:before{content:"✓";position:absolute;left:4px;color:var(--ok);font-weight:700}
table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:10px 6px;border-top:1px solid var(--line);vertical-align:top}th{font-size:.85rem;color:var(--muted);font-weight:600}
code.secret{display:block;word-break:break-all;padding:10px;border-radius:8px;border:1px dashed var(--line);font-size:.85rem}
.checks label{font-weight:400;margin:6px 0}.row{display:flex;justify-content:space-between;align-items:center;gap:12px}
ul.links{padding-left:20px}ul.links li{margin:6px 0}
pre{white-space:pre-wrap;word-break:break-word;border:1px solid var(--line);border-radius:8px;padding:10px;font-size:.85rem;max-height:24em;overflow:auto;margin:6px 0 0}
.datum{border-top:1px solid var(--line);padding:10px 0}
a{color:var(--accent)}footer{text-align:center;color:var(--muted);font-size:.85rem;padding-bottom:24px}
`;

export function Layout(props: { title: string; children: Child; wide?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · appmeta`}</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header>
          <a class="brand" href="/">
            appmeta
          </a>
        </header>
        <main>
          <div class={props.wide ? 'card wide' : 'card'}>{props.children}</div>
        </main>
        <footer>Your data, your apps, your call.</footer>
      </body>
    </html>
  );
}

/** Sends a page with the security headers every HTML response here carries. */
export function page(
  c: Context<AppEnv>,
  body: Child,
  status: 200 | 400 | 401 | 403 | 404 | 429 = 200,
) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Frame-Options', 'DENY');
  c.header('Cache-Control', 'no-store');
  // Not no-referrer: under it browsers send `Origin: null` on our own form posts, which the
  // CSRF check refuses. same-origin still sends nothing (no tx handle) to other sites.
  c.header('Referrer-Policy', 'same-origin');
  return c.html(`<!doctype html>${String(body)}`, status);
}

/** The hidden CSRF input of every form post. */
export function Csrf(props: { csrf: string }) {
  return <input type="hidden" name="csrf" value={props.csrf} />;
}

/** A labelled form input. */
export function Field(props: {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  required?: boolean;
  value?: string;
  minlength?: number;
  maxlength?: number;
  placeholder?: string;
}) {
  const { name, label, type = 'text', ...rest } = props;
  return (
    <>
      <label for={name}>{label}</label>
      <input id={name} name={name} type={type} {...rest} />
    </>
  );
}

/** The form's primary button. */
export function Submit(props: { label: string }) {
  return (
    <div class="actions">
      <button class="primary" type="submit">
        {props.label}
      </button>
    </div>
  );
}

/** An error shown above a form, announced to screen readers. */
export function ErrorNote(props: { message?: string }) {
  return props.message ? (
    <p class="error" role="alert">
      {props.message}
    </p>
  ) : null;
}

/** A CSRF-protected form post to `action`. */
export function PostForm(props: { action: string; csrf: string; children: Child }) {
  return (
    <form method="post" action={props.action}>
      <Csrf csrf={props.csrf} />
      {props.children}
    </form>
  );
}
