import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime, formatRelative } from '../../lib/format';
import { RelativeTime } from '../time/RelativeTime';
import { RunStatusBadge } from '../runs/RunStatusBadge';
import { Badge } from '../ui/Badge';
import { DropdownMenu } from '../ui/DropdownMenu';
import { DotsIcon } from '../ui/icons';
import { Switch } from '../ui/Switch';
import { Td, Tr } from '../ui/Table';
import { useJobActions } from './JobActions';

export const JobRow_JobFragment = graphql(`
  fragment JobRow_JobFragment on Job {
    id
    name
    description
    action
    enabled
    disabledReason
    perUser
    scheduleDescription
    nextRunAt
    lastRun {
      id
      status
      createdAt
    }
    ...JobActions_JobFragment
  }
`);

export function JobRow(props: { job: FragmentType<typeof JobRow_JobFragment> }) {
  const job = useFragment(JobRow_JobFragment, props.job);
  const actions = useJobActions(job);

  return (
    <Tr aria-label={`Job ${job.name}`}>
      <Td className="max-w-72">
        <Link to={`/jobs/${job.id}`} className="font-medium text-stone-900 hover:text-amber-700 hover:underline dark:text-stone-100 dark:hover:text-amber-300">
          {job.name}
        </Link>
        {job.description && <p className="mt-0.5 truncate text-xs text-stone-500 dark:text-stone-400">{job.description}</p>}
        {/* On a tablet the action column is folded into the name's cell. */}
        <p className="mt-0.5 font-mono text-xs text-stone-500 lg:hidden dark:text-stone-400">
          {job.action}
          {job.perUser && ' · per user'}
        </p>
      </Td>
      <Td className="hidden lg:table-cell">
        <code className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-700 dark:bg-stone-800 dark:text-stone-300">{job.action}</code>
        {job.perUser && (
          <span className="ml-1.5">
            <Badge tone="accent" dot={false}>
              per user
            </Badge>
          </span>
        )}
      </Td>
      <Td className="min-w-36 text-stone-600 dark:text-stone-300">{job.scheduleDescription}</Td>
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">
        {!job.enabled ? (
          <span className="text-stone-500 dark:text-stone-400" title={job.disabledReason ?? undefined}>
            {job.disabledReason ? 'Stopped' : 'Paused'}
          </span>
        ) : job.nextRunAt ? (
          <RelativeTime value={job.nextRunAt} />
        ) : (
          <span className="text-stone-500 dark:text-stone-400">—</span>
        )}
      </Td>
      <Td className="whitespace-nowrap">
        {job.lastRun ? (
          <Link to={`/jobs/${job.id}/runs/${job.lastRun.id}`} className="inline-flex items-center gap-2 hover:underline" title={formatDateTime(job.lastRun.createdAt)}>
            <RunStatusBadge status={job.lastRun.status} />
            <span className="hidden text-xs text-stone-500 xl:inline dark:text-stone-400">{formatRelative(job.lastRun.createdAt)}</span>
          </Link>
        ) : (
          <span className="text-sm text-stone-600 dark:text-stone-400">Never run</span>
        )}
      </Td>
      <Td>
        <Switch
          checked={job.enabled}
          label={`${job.name} enabled`}
          busy={actions.toggling}
          disabledReason={actions.canEdit ? null : 'Pausing and resuming jobs needs the “Create and edit jobs” permission.'}
          onChange={(enabled) => void actions.setEnabled?.(enabled)}
        />
      </Td>
      <Td className="w-12 text-right">
        {actions.menuItems.length > 0 && (
          <DropdownMenu label={`Actions for ${job.name}`} trigger={<DotsIcon className="size-5" />} items={actions.menuItems} />
        )}
        {actions.dialogs}
      </Td>
    </Tr>
  );
}
