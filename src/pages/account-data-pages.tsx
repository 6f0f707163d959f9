/**
 * Transparency and account deletion in /settings (spec §15): what an app keeps about the user
 * (counts and bytes, then the data itself, HTML-escaped by JSX, bounded), the button that
 * deletes it without revoking the app, and the two-step account deletion (a confirmation page
 * asking for the password and a typed confirmation) with its goodbye page.
 */
import { APP_DATA_PAGE_MAX_ROWS } from '../config';
import { formatTimestamp } from '../entities/time';
import type { AppData, AppDataSummary } from '../storage/app-data';
import { ErrorNote, Field, Layout, PostForm } from './layout';

/** The word typed to confirm account deletion. */
export const DELETE_CONFIRMATION = 'DELETE';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function bytes(n: number): string {
  if (n < 1024) return plural(n, 'byte', 'bytes');
  return `${(n / 1024).toFixed(1)} KiB`;
}

/** The settings table cell: counts, size, and the link to read the data. */
export function AppDataCell(props: { summary: AppDataSummary }) {
  const { summary } = props;
  const total = summary.documentBytes + summary.entryBytes;
  return (
    <>
      <div>
        {plural(summary.documents, 'document', 'documents')},{' '}
        {plural(summary.entries, 'entry', 'entries')}
      </div>
      <div class="muted">{bytes(total)}</div>
      <a
        href={`/settings/app-data?client_id=${encodeURIComponent(summary.clientId)}`}
        aria-label={`See what ${summary.appName} keeps about you`}
      >
        See it
      </a>
    </>
  );
}

const pretty = (json: string) => JSON.stringify(JSON.parse(json) as unknown, null, 2);

/** "Showing the first N of M" when the page is cut. */
function Bound(props: { shown: number; total: number }) {
  if (props.total <= props.shown) return null;
  return (
    <p class="muted">
      Showing the first {props.shown} of {props.total} (this page shows at most{' '}
      {APP_DATA_PAGE_MAX_ROWS}); the export at /api/v1/profile/export has all of them.
    </p>
  );
}

function Documents(props: { data: AppData }) {
  const { documents, summary } = props.data;
  if (documents.length === 0) return <p class="muted">No documents.</p>;
  return (
    <>
      <Bound shown={documents.length} total={summary.documents} />
      {documents.map((doc) => (
        <div class="datum">
          <div class="muted">
            {doc.entity_type} <code>{doc.entity_id}</code> · updated{' '}
            {formatTimestamp(doc.updated_at)}
          </div>
          <pre>{pretty(doc.document)}</pre>
        </div>
      ))}
    </>
  );
}

function Entries(props: { data: AppData }) {
  const { entries, summary } = props.data;
  if (entries.length === 0) return <p class="muted">No entries.</p>;
  return (
    <>
      <Bound shown={entries.length} total={summary.entries} />
      {entries.map((entry) => (
        <div class="datum">
          <div class="muted">
            <code>{entry.key}</code>
            {entry.expires_at === null ? '' : ` · expires ${formatTimestamp(entry.expires_at)}`}
          </div>
          <pre>{entry.value}</pre>
        </div>
      ))}
    </>
  );
}

/** One app's data about the user, with the delete button (the app stays authorized). */
export function AppDataPage(props: { csrf: string; data: AppData }) {
  const { summary } = props.data;
  return (
    <Layout title={`${summary.appName}: your data`} wide>
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>What {summary.appName} keeps about you</h1>
      <p class="muted">
        {plural(summary.documents, 'document', 'documents')} ({bytes(summary.documentBytes)}) and{' '}
        {plural(summary.entries, 'entry', 'entries')} ({bytes(summary.entryBytes)}).
      </p>
      <h2>Documents on your activities, traces, tests and profile</h2>
      <Documents data={props.data} />
      <h2>Key/value entries</h2>
      <Entries data={props.data} />
      <h2>Delete it</h2>
      <PostForm action="/settings/app-data/delete" csrf={props.csrf}>
        <input type="hidden" name="client_id" value={summary.clientId} />
        <p class="muted">
          Deletes every document and entry {summary.appName} keeps about you. The app stays
          authorized and is told what was deleted; revoke it in Settings to stop it for good.
        </p>
        <button class="danger" type="submit">
          Delete {summary.appName}'s data about me
        </button>
      </PostForm>
    </Layout>
  );
}

/** The settings section: a link to the confirmation step. */
export function DeleteAccountSection() {
  return (
    <>
      <p class="muted">
        Deletes your account and everything in it: activities, traces, tests, every app's data about
        you, your keys and sessions. Apps you authorized are told. This cannot be undone.
      </p>
      <a href="/settings/delete-account">Delete my account…</a>
    </>
  );
}

/** The confirmation step: the password again and the word typed. */
export function DeleteAccountPage(props: { csrf: string; email: string; error?: string }) {
  return (
    <Layout title="Delete your account">
      <h1>Delete your account</h1>
      <p>
        This deletes <strong>{props.email}</strong> and everything in it, at once and for good:
        every activity, trace and test, every app's data about you, your personal keys and sessions.
        Every app you authorized loses access and is told.
      </p>
      <ErrorNote message={props.error} />
      <PostForm action="/settings/delete-account" csrf={props.csrf}>
        <Field
          name="password"
          label="Your password"
          type="password"
          autocomplete="current-password"
          required
        />
        <Field
          name="confirm"
          label={`Type ${DELETE_CONFIRMATION} to confirm`}
          autocomplete="off"
          required
        />
        <div class="actions">
          <a href="/settings">Keep my account</a>
          <button class="danger" type="submit">
            Delete my account for good
          </button>
        </div>
      </PostForm>
    </Layout>
  );
}

export function GoodbyePage() {
  return (
    <Layout title="Account deleted">
      <h1>Your account is deleted</h1>
      <p>
        Everything in it is gone, and the apps you had authorized have been told. Thank you for
        using appmeta.
      </p>
      <p>
        <a href="/">Home</a>
      </p>
    </Layout>
  );
}
