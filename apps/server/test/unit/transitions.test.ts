// The run engine's transition table: every pair of statuses, allowed or refused, and the retry decision.
import { describe, expect, it } from 'vitest';
import { RunStatus } from '../../src/db/generated/prisma/enums.js';
import {
  CLAIMABLE_STATUSES,
  countChildren,
  FINISHABLE_STATUSES,
  mayTransition,
  RESTARTABLE_CHILD_STATUSES,
  RUN_STATUSES,
  shouldRetry,
  statusesThatMayBecome,
  TERMINAL_STATUSES,
} from '../../src/engine/transitions.js';

/** Every allowed transition, written out by hand; every pair not listed must be refused. */
const ALLOWED: Array<[RunStatus, RunStatus]> = [
  ['QUEUED', 'RUNNING'],
  ['QUEUED', 'CANCELLED'],
  ['QUEUED', 'INTERRUPTED'],
  ['RUNNING', 'QUEUED'],
  ['RUNNING', 'CANCELLING'],
  ['RUNNING', 'SUCCEEDED'],
  ['RUNNING', 'PARTIALLY_SUCCEEDED'],
  ['RUNNING', 'FAILED'],
  ['RUNNING', 'CANCELLED'],
  ['RUNNING', 'TIMED_OUT'],
  ['RUNNING', 'INTERRUPTED'],
  ['RUNNING', 'SKIPPED'],
  ['CANCELLING', 'CANCELLED'],
  ['CANCELLING', 'SUCCEEDED'],
  ['CANCELLING', 'QUEUED'],
  ['INTERRUPTED', 'QUEUED'],
];

const all = Object.values(RunStatus);

describe('run status transitions', () => {
  it('lists every status of the schema', () => {
    expect([...RUN_STATUSES].sort()).toEqual([...all].sort());
  });

  const allowed = new Set(ALLOWED.map(([from, to]) => `${from}->${to}`));
  for (const from of all) {
    for (const to of all) {
      const expected = allowed.has(`${from}->${to}`);
      it(`${expected ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(mayTransition(from, to)).toBe(expected);
      });
    }
  }

  it('lets no terminal status move, except an interrupted child queued again with its parent', () => {
    for (const status of TERMINAL_STATUSES) {
      const targets = all.filter((to) => mayTransition(status, to));
      expect(targets).toEqual(status === 'INTERRUPTED' ? ['QUEUED'] : []);
    }
  });

  it("derives the statements' status lists from the table", () => {
    expect(CLAIMABLE_STATUSES).toEqual(['QUEUED']);
    expect(FINISHABLE_STATUSES).toEqual(['RUNNING', 'CANCELLING']);
    expect(RESTARTABLE_CHILD_STATUSES).toEqual(['RUNNING', 'CANCELLING', 'INTERRUPTED']);
    expect(statusesThatMayBecome('SKIPPED')).toEqual(['RUNNING']);
  });
});

describe('the retry decision', () => {
  it('retries failures, timeouts and lost workers while attempts are left', () => {
    for (const status of ['FAILED', 'TIMED_OUT', 'INTERRUPTED'] as const) {
      expect(shouldRetry({ status }, { attempt: 1, maxAttempts: 2 })).toBe(true);
      expect(shouldRetry({ status }, { attempt: 2, maxAttempts: 2 })).toBe(false);
    }
  });

  it('never retries a success, a cancel, a skip or a permanent failure', () => {
    for (const status of all.filter((s) => !['FAILED', 'TIMED_OUT', 'INTERRUPTED'].includes(s))) {
      expect(shouldRetry({ status }, { attempt: 1, maxAttempts: 5 })).toBe(false);
    }
    expect(shouldRetry({ status: 'FAILED', permanent: true }, { attempt: 1, maxAttempts: 5 })).toBe(false);
  });
});

describe('child counts', () => {
  it('counts succeeded children as ok, ended ones as not ok, and active ones in the total only', () => {
    const counts = countChildren([
      { status: 'SUCCEEDED', count: 3 },
      { status: 'FAILED', count: 1 },
      { status: 'CANCELLED', count: 1 },
      { status: 'SKIPPED', count: 1 },
      { status: 'QUEUED', count: 2 },
      { status: 'RUNNING', count: 1 },
      { status: 'CANCELLING', count: 1 },
    ]);
    expect(counts).toEqual({ total: 10, succeeded: 3, failed: 3 });
  });
});
