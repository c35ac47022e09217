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

export const RUN_TRIGGER_LABEL = { SCHEDULE: 'Schedule', MANUAL: 'Run now', API: 'API', RETRY: 'Retry', BACKFILL: 'Backfill' } as const;

export function isActiveStatus(status: RunStatus): boolean {
  return RUN_STATUS[status].active === true;
}

/**
 * What a run is called everywhere (lists, its page, breadcrumbs): its title, else its job's name, for its user when
 * it is a per-user child. The slot (scheduled-for time) is shown beside it where runs of one job need telling apart.
 */
export function runName(run: { title?: string | null; job: { name: string }; targetUser?: { name: string } | null }): string {
  if (run.title) return run.title;
  return run.targetUser ? `${run.job.name} for ${run.targetUser.name}` : run.job.name;
}

/** A run's page, under its job (`/jobs/<job>/runs/<run>`), so the breadcrumb and the sidebar say where it belongs. */
export function runPath(run: { id: string; job: { id: string } }): string {
  return `/jobs/${run.job.id}/runs/${run.id}`;
}
