import { describe, expect, it } from 'vitest';
import { RunStatus } from '../../src/db/generated/prisma/enums.js';
import { ACTIVE_STATUSES, canCancel, canRetry, isTerminal, rollUp, TERMINAL_STATUSES } from '../../src/services/run-status.js';

describe('run statuses', () => {
  it('every status is either active or terminal, never both', () => {
    const all = Object.values(RunStatus);
    expect([...ACTIVE_STATUSES, ...TERMINAL_STATUSES].sort()).toEqual([...all].sort());
    for (const status of all) expect(isTerminal(status)).toBe(!(ACTIVE_STATUSES as readonly string[]).includes(status));
  });

  it('cancel and retry follow the status', () => {
    expect(canCancel('QUEUED') && canCancel('RUNNING')).toBe(true);
    expect(canCancel('SUCCEEDED') || canCancel('CANCELLING')).toBe(false);
    expect(canRetry('FAILED') && canRetry('INTERRUPTED') && canRetry('TIMED_OUT') && canRetry('CANCELLED')).toBe(true);
    expect(canRetry('SUCCEEDED') || canRetry('SKIPPED') || canRetry('RUNNING')).toBe(false);
  });

  it('rolls up per-user children', () => {
    expect(rollUp({ total: 10, succeeded: 10, failed: 0 })).toEqual({ status: 'SUCCEEDED', message: '10/10 users ok' });
    expect(rollUp({ total: 10, succeeded: 7, failed: 3 })).toEqual({ status: 'PARTIALLY_SUCCEEDED', message: '7/10 users ok' });
    expect(rollUp({ total: 10, succeeded: 0, failed: 10 })).toEqual({ status: 'FAILED', message: '0/10 users ok' });
    expect(rollUp({ total: 0, succeeded: 0, failed: 0 }).status).toBe('SKIPPED');
  });
});
