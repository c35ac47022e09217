// Run statuses in words and colours. One place, so a badge, a filter and a chart agree.
import type { RunStatus } from '../../gql/graphql';
import type { Tone } from '../ui/Badge';

export const RUN_STATUSES: readonly RunStatus[] = [
  'QUEUED',
  'RUNNING',
  'CANCELLING',
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'INTERRUPTED',
  'CANCELLED',
  'SKIPPED',
];

export const RUN_STATUS: Record<RunStatus, { label: string; tone: Tone; active?: boolean }> = {
  QUEUED: { label: 'Queued', tone: 'accent', active: true },
  RUNNING: { label: 'Running', tone: 'info', active: true },
  CANCELLING: { label: 'Cancelling', tone: 'warning', active: true },
  SUCCEEDED: { label: 'Succeeded', tone: 'success' },
  PARTIALLY_SUCCEEDED: { label: 'Partly succeeded', tone: 'warning' },
  FAILED: { label: 'Failed', tone: 'danger' },
  TIMED_OUT: { label: 'Timed out', tone: 'danger' },
  INTERRUPTED: { label: 'Interrupted', tone: 'danger' },
  CANCELLED: { label: 'Cancelled', tone: 'neutral' },
  SKIPPED: { label: 'Skipped', tone: 'muted' },
};

/** Chart colours (hex, for SVG fills) in the same families as the badges. */
export const RUN_STATUS_COLOUR: Record<RunStatus, string> = {
  QUEUED: '#8b5cf6',
  RUNNING: '#0ea5e9',
  CANCELLING: '#f59e0b',
  SUCCEEDED: '#10b981',
  PARTIALLY_SUCCEEDED: '#f59e0b',
  FAILED: '#ef4444',
  TIMED_OUT: '#dc2626',
  INTERRUPTED: '#b91c1c',
  CANCELLED: '#a8a29e',
  SKIPPED: '#d6d3d1',
};

export const RUN_TRIGGER_LABEL = { SCHEDULE: 'Schedule', MANUAL: 'Run now', API: 'API', RETRY: 'Retry' } as const;

export function isActiveStatus(status: RunStatus): boolean {
  return RUN_STATUS[status].active === true;
}
