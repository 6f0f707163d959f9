/**
 * The request-scoped D1 handle. Every round trip goes through here so that it is counted
 * (Server-Timing `d1;desc="N"`, spec §10) and so that a failing D1 surfaces as a 503
 * StorageUnavailableError rather than a stale decision or a leaked message.
 */
import { StorageUnavailableError } from '../errors';

export class Database {
  /** D1 round trips made so far: each statement or batch() is one. */
  roundTrips = 0;
  /** True once a batch holding a change record (spec §13) has committed. */
  changesCommitted = false;
  private changePending = false;

  constructor(private readonly d1: D1Database) {}

  prepare(sql: string): D1PreparedStatement {
    return this.d1.prepare(sql);
  }

  async first<T>(statement: D1PreparedStatement): Promise<T | null> {
    return this.call(() => statement.first<T>());
  }

  async all<T>(statement: D1PreparedStatement): Promise<T[]> {
    return (await this.call(() => statement.all<T>())).results;
  }

  async run(statement: D1PreparedStatement): Promise<D1Result> {
    return this.call(() => statement.run());
  }

  /** One round trip, one transaction (D1 has no BEGIN): all statements commit or none. */
  async batch(statements: D1PreparedStatement[]): Promise<D1Result[]> {
    const recordsChange = this.changePending;
    this.changePending = false;
    const results = await this.call(() => this.d1.batch(statements));
    if (recordsChange) this.changesCommitted = true;
    return results;
  }

  /**
   * Called by storage/changes.ts for each change statement it prepares: the next batch records
   * events, so once it commits the webhook outbox has work (changesCommitted).
   */
  noteChangeStatement(): void {
    this.changePending = true;
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    this.roundTrips += 1;
    try {
      return await operation();
    } catch (error) {
      throw new StorageUnavailableError(error);
    }
  }
}

/** Results of a batch, typed per statement. */
export function rowsOf<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[];
}

export function firstOf<T>(result: D1Result | undefined): T | null {
  return ((result?.results ?? [])[0] as T | undefined) ?? null;
}
