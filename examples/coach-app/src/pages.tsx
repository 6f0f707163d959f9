/** The coach app's one page, rendered on the server with hono/jsx (text is escaped). */
import type { Activity, Profile } from '@appmeta/client';
import type { Child } from 'hono/jsx';
import type { ReceivedEvent } from './event-hub.js';

export const PLANS = ['base', 'build', 'peak', 'recovery'] as const;
export type Plan = (typeof PLANS)[number];

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem;border-bottom:1px solid #e5e7eb;text-align:left}
.plan{font-weight:600}.muted{color:#6b7280}#events li{font-family:ui-monospace,monospace;font-size:14px}
form.inline{display:inline}header{display:flex;justify-content:space-between;align-items:center}`;

function Layout(props: { children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Coach · an appmeta example</title>
        <style>{STYLE}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

export function SignedOutPage() {
  return (
    <Layout>
      <h1>Coach</h1>
      <p>
        Plans your training on top of the activities you keep in appmeta. Coach stores nothing of
        its own: each activity's plan is Coach's private app metadata in appmeta.
      </p>
      <p>
        <a href="/login">Sign in with appmeta</a>
      </p>
    </Layout>
  );
}

export interface HomeProps {
  profile: Profile;
  activities: Activity[];
  events: ReceivedEvent[];
}

export function HomePage({ profile, activities, events }: HomeProps) {
  return (
    <Layout>
      <header>
        <h1>Coach</h1>
        <form class="inline" method="post" action="/logout">
          <span class="muted">{profile.display_name} </span>
          <button type="submit">Sign out</button>
        </form>
      </header>
      <h2>Your activities</h2>
      {activities.length === 0 ? (
        <p class="muted">No activities yet: add some in appmeta, they appear here.</p>
      ) : (
        <ActivityTable activities={activities} />
      )}
      <h2>Live events</h2>
      <p class="muted">Webhooks appmeta sent to this app for you, verified, newest first.</p>
      <ul id="events">
        {events.map((received) => (
          <li>{describeEvent(received)}</li>
        ))}
      </ul>
      <script src="/events.js" defer></script>
    </Layout>
  );
}

function ActivityTable({ activities }: { activities: Activity[] }) {
  return (
    <table>
      <tr>
        <th>When</th>
        <th>Activity</th>
        <th>Plan</th>
        <th>Change it</th>
      </tr>
      {activities.map((activity) => (
        <tr>
          <td>{activity.start.slice(0, 10)}</td>
          <td>
            {activity.name} <span class="muted">{activity.sport}</span>
          </td>
          <td class="plan">{planOf(activity) ?? '—'}</td>
          <td>
            <form class="inline" method="post" action={`/activities/${activity.id}/plan`}>
              <select name="plan">
                {PLANS.map((plan) => (
                  <option value={plan} selected={plan === planOf(activity)}>
                    {plan}
                  </option>
                ))}
              </select>{' '}
              <button type="submit">Tag</button>
            </form>
          </td>
        </tr>
      ))}
    </table>
  );
}

/** The plan Coach tagged the activity with: its own app metadata, merged into the list item. */
export function planOf(activity: Activity): string | undefined {
  const plan = (activity as { app_metadata?: { plan?: unknown } }).app_metadata?.plan;
  return typeof plan === 'string' ? plan : undefined;
}

export function describeEvent({ event, receivedAt }: ReceivedEvent): string {
  const subject = [event.data.entity_type, event.data.entity_id, event.data.key].filter(Boolean);
  return `${receivedAt.slice(11, 19)} ${event.type} ${subject.join(' ')}`;
}

/** The page's only script: appends each server-sent event to the list. */
export const EVENTS_SCRIPT = `const list = document.getElementById('events');
const source = new EventSource('/events');
source.addEventListener('change', (message) => {
  const item = document.createElement('li');
  item.textContent = message.data;
  list.prepend(item);
});
`;
