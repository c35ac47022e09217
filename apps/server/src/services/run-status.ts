// What each run status means, written once. Everything that asks "is it over?", "can it be cancelled?" asks here.
import type { RunStatus } from '../db/prisma.js';

export const TERMINAL_STATUSES = [
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
  'SKIPPED',
] as const satisfies readonly RunStatus[];

export const ACTIVE_STATUSES = ['QUEUED', 'RUNNING', 'CANCELLING'] as const satisfies readonly RunStatus[];

export function isTerminal(status: RunStatus): boolean {
  return (TERMINAL_STATUSES as readonly RunStatus[]).includes(status);
}

export function canCancel(status: RunStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/** A finished run that did not fully succeed can be started again as a new run. */
export function canRetry(status: RunStatus): boolean {
  return isTerminal(status) && status !== 'SUCCEEDED' && status !== 'SKIPPED';
}

/** Counts toward "users ok" of a per-user parent. */
export function isSuccess(status: RunStatus): boolean {
  return status === 'SUCCEEDED';
}

export interface ChildCounts {
  total: number;
  succeeded: number;
  failed: number;
}

/** A per-user parent's outcome from its children: all ok → succeeded, some → partially, none → failed. */
export function rollUp(counts: ChildCounts): { status: RunStatus; message: string } {
  const message = `${counts.succeeded}/${counts.total} users ok`;
  if (counts.total === 0) return { status: 'SKIPPED', message: 'no target users' };
  if (counts.succeeded === counts.total) return { status: 'SUCCEEDED', message };
  if (counts.succeeded === 0) return { status: 'FAILED', message };
  return { status: 'PARTIALLY_SUCCEEDED', message };
}
