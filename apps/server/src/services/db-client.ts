// What services write through: the app's Prisma client, or a transaction a caller holds open. Given a transaction,
// a service's multi-step change joins it instead of opening its own, so a caller can run several services' changes
// as one (a definitions document is applied whole or not at all). What must not happen before the commit (a job's
// timer, subscribers hearing of a change) waits in an AfterCommit the caller runs once the transaction committed.
import type { Prisma, PrismaClient } from '../db/prisma.js';

export type DbClient = PrismaClient | Prisma.TransactionClient;

/** Runs `work` in a transaction: a new one on the client, or the one `db` already is. */
export function inTransaction<T>(db: DbClient, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return '$transaction' in db ? db.$transaction(work) : work(db);
}

type Effect = () => Promise<void> | void;

/** Effects outside the database held back until the transaction that caused them has committed. */
export class AfterCommit {
  private effects: Effect[] = [];

  add(effect: Effect): void {
    this.effects.push(effect);
  }

  /** Where the effects stand now: a savepoint's mirror, to drop what a rolled-back part of the transaction queued. */
  mark(): number {
    return this.effects.length;
  }

  discardFrom(mark: number): void {
    this.effects.length = Math.min(this.effects.length, mark);
  }

  /** After the commit: each effect once, in order. */
  async run(): Promise<void> {
    const effects = this.effects;
    this.effects = [];
    for (const effect of effects) await effect();
  }
}
