// An in-memory SundialData for action authors' unit tests (exported by @sundial/actions/testing): the rules of the
// server's runs and inboxes as the actions see them, over plain arrays a test can seed and look at.
import { randomUUID } from 'node:crypto';
import type { DeletedRuns, InboxMessage, SundialData } from './sundial-data.js';

/** A stored run as far as deleting finished runs is concerned. */
export interface MemoryRun {
  id: string;
  /** The per-user parent of a child run. */
  parentRunId?: string | null;
  /** Default: its finishedAt, or now for a run still active. */
  createdAt?: Date;
  /** When it ended; null while it is still queued or running. */
  finishedAt: Date | null;
  /** How many log lines it has stored. Default 0. */
  logLines?: number;
}

export interface DeliveredMessage extends InboxMessage {
  id: string;
}

export interface MemorySundialData extends SundialData {
  /** What is stored now: the runs left (deleting removes them) and the messages delivered, in order. */
  readonly stored: { runs: MemoryRun[]; inboxMessages: DeliveredMessage[] };
}

/**
 * Runs and inboxes in memory. `userIds`: the users that exist; a message to anyone else is refused, as the server
 * refuses a user that no longer exists. Omitted: every user exists.
 */
export function memorySundialData(seed: { runs?: readonly MemoryRun[]; userIds?: readonly string[] } = {}): MemorySundialData {
  const stored = { runs: seed.runs ? seed.runs.map((run) => ({ ...run })) : [], inboxMessages: [] as DeliveredMessage[] };
  const users = seed.userIds ? new Set(seed.userIds) : null;

  const createdAt = (run: MemoryRun) => run.createdAt ?? run.finishedAt ?? new Date();
  /** Top-level runs over before the cutoff with no active child, and their children. */
  const finishedBefore = (cutoff: Date): MemoryRun[] => {
    const childrenOf = (id: string) => stored.runs.filter((run) => run.parentRunId === id);
    const tops = stored.runs.filter(
      (run) =>
        !run.parentRunId &&
        run.finishedAt !== null &&
        run.finishedAt < cutoff &&
        createdAt(run) < cutoff &&
        childrenOf(run.id).every((child) => child.finishedAt !== null),
    );
    return [...tops.flatMap((top) => childrenOf(top.id)), ...tops];
  };

  return {
    stored,
    runs: {
      async countFinishedBefore(cutoff) {
        return finishedBefore(cutoff).length;
      },
      async deleteFinishedBefore(cutoff, limits): Promise<DeletedRuns> {
        // Children come first in finishedBefore; a parent is taken only once none of its children is left.
        const due = finishedBefore(cutoff);
        const batch = due.filter((run) => run.parentRunId || !due.some((other) => other.parentRunId === run.id)).slice(0, limits.runs);
        let logLines = 0;
        for (const run of batch) {
          const take = Math.min(run.logLines ?? 0, limits.logLines - logLines);
          run.logLines = (run.logLines ?? 0) - take;
          logLines += take;
        }
        if (logLines === limits.logLines && batch.some((run) => (run.logLines ?? 0) > 0)) return { runs: 0, logLines };
        const gone = new Set(batch.map((run) => run.id));
        stored.runs = stored.runs.filter((run) => !gone.has(run.id));
        return { runs: gone.size, logLines };
      },
    },
    inboxes: {
      async deliver(messages) {
        const unknown = users ? [...new Set(messages.map((message) => message.userId).filter((id) => !users.has(id)))] : [];
        if (unknown.length > 0) throw new Error(`no user with id ${unknown.join(', ')}`);
        const delivered = messages.map((message) => ({ ...message, id: randomUUID() }));
        stored.inboxMessages.push(...delivered);
        return delivered.map((message) => message.id);
      },
    },
  };
}
