/**
 * Webhook events as they arrive, fanned out to the pages watching them: the last few are kept
 * in memory for a page that opens later, and each watcher gets only its own user's events.
 */
import type { ChangeEvent } from '@appmeta/client';

export interface ReceivedEvent {
  event: ChangeEvent;
  receivedAt: string;
}

const KEEP_EVENTS = 50;

export class EventHub {
  private readonly recent: ReceivedEvent[] = [];
  private readonly watchers = new Set<(received: ReceivedEvent) => void>();

  publish(event: ChangeEvent): void {
    const received = { event, receivedAt: new Date().toISOString() };
    this.recent.unshift(received);
    this.recent.length = Math.min(this.recent.length, KEEP_EVENTS);
    for (const watcher of this.watchers) watcher(received);
  }

  /** The kept events of one user, newest first. */
  recentFor(userId: string): ReceivedEvent[] {
    return this.recent.filter((received) => received.event.data.user_id === userId);
  }

  /** Calls `watcher` with each new event of `userId`; returns the function that stops it. */
  watch(userId: string, watcher: (received: ReceivedEvent) => void): () => void {
    const filtered = (received: ReceivedEvent) => {
      if (received.event.data.user_id === userId) watcher(received);
    };
    this.watchers.add(filtered);
    return () => this.watchers.delete(filtered);
  }
}
