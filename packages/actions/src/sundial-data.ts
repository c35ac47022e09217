// What an action may do with the data of the Sundial server that runs it, in the product's words (runs, inboxes),
// never through its tables: the server hands an implementation to every run in its context (`context.sundial`),
// and the test kit an in-memory one (testing.ts), so an action works the same against either.

/** A message for one user's in-app inbox. */
export interface InboxMessage {
  userId: string;
  subject: string;
  body: string;
  /** The run and job that sent it; linked when they are stored (a test kit's run is not), else left out. */
  runId?: string | null;
  jobId?: string | null;
}

/** What one step of deleting finished runs took away. */
export interface DeletedRuns {
  runs: number;
  logLines: number;
}

/** The server's runs, as far as an action may touch them. */
export interface SundialRuns {
  /**
   * How many runs deleteFinishedBefore(cutoff) would take now: top-level runs that are over (a final status),
   * finished before the cutoff and none of whose per-user children is still active, with all their children.
   */
  countFinishedBefore(cutoff: Date): Promise<number>;
  /**
   * One bounded step of deleting those runs: at most `limits.runs` runs and `limits.logLines` of their log lines.
   * Log lines go before their run and children before their parent, so no step cascades into an unbounded number
   * of rows. A step that deleted nothing means there is nothing left to delete; call it until then, pausing
   * between steps as suits the action.
   */
  deleteFinishedBefore(cutoff: Date, limits: { runs: number; logLines: number }): Promise<DeletedRuns>;
}

/** Users' in-app inboxes. */
export interface SundialInboxes {
  /**
   * Stores the messages, all or none; resolves with their ids in the order given. Rejects naming the users that
   * do not exist (deleted since the run started, say).
   */
  deliver(messages: readonly InboxMessage[]): Promise<string[]>;
}

export interface SundialData {
  readonly runs: SundialRuns;
  readonly inboxes: SundialInboxes;
}
