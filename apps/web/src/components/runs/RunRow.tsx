// One run in a list: named by its job (and user) with its slot, live (a running run's duration ticks).
import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime, formatDuration, liveDuration, useNow } from '../../lib/format';
import { RelativeTime } from '../time/RelativeTime';
import { Td, Tr } from '../ui/Table';
import { isActiveStatus, RUN_TRIGGER_LABEL, runName, runPath } from './runStatus';
import { RunStatusBadge } from './RunStatusBadge';

export const RunRow_RunFragment = graphql(`
  fragment RunRow_RunFragment on Run {
    id
    title
    status
    statusReason
    waitingReason
    trigger
    attempt
    createdAt
    scheduledFor
    startedAt
    finishedAt
    durationMs
    childrenTotal
    childrenSucceeded
    childrenFailed
    startedBy {
      id
      name
    }
    targetUser {
      id
      name
    }
  }
`);

/**
 * One run in a list; `job` is the run's job (the list's query knows it: asking for it again per row would count
 * against the query cost limit on a job's page); `showJob` adds a column with the job's name (the all-runs page).
 */
export function RunRow(props: { run: FragmentType<typeof RunRow_RunFragment>; job: { id: string; name: string }; showJob?: boolean }) {
  const fields = useFragment(RunRow_RunFragment, props.run);
  const run = { ...fields, job: props.job };
  const live = isActiveStatus(run.status) && run.startedAt != null;
  const now = useNow(1000, live);
  const name = runName(run);
  return (
    <Tr aria-label={`Run ${name}`}>
      <Td>
        <RunStatusBadge status={run.status} />
      </Td>
      <Td className="max-w-80 min-w-48">
        <Link to={runPath(run)} className="font-medium text-stone-900 hover:text-amber-700 hover:underline dark:text-stone-100 dark:hover:text-amber-300">
          {name}
        </Link>
        <p className="mt-0.5 truncate text-xs text-stone-500 dark:text-stone-400">
          {run.trigger === 'SCHEDULE' ? `Slot ${formatDateTime(run.scheduledFor)}` : `Run ${run.id.slice(0, 8)}`}
          {run.statusReason && ` · ${run.statusReason}`}
          {run.waitingReason && <span className="text-amber-700 dark:text-amber-300">{` · ${run.waitingReason}`}</span>}
        </p>
      </Td>
      {props.showJob && (
        <Td>
          <Link to={`/jobs/${run.job.id}`} className="text-stone-700 hover:underline dark:text-stone-300">
            {run.job.name}
          </Link>
        </Td>
      )}
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">
        {RUN_TRIGGER_LABEL[run.trigger]}
        {run.startedBy && <span className="text-stone-500 dark:text-stone-400"> · {run.startedBy.name}</span>}
        {run.attempt > 1 && <span className="text-stone-500 dark:text-stone-400"> · attempt {run.attempt}</span>}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">
        <RelativeTime value={run.startedAt ?? run.createdAt} now={live ? now : undefined} />
      </Td>
      <Td className="whitespace-nowrap text-stone-600 tabular-nums dark:text-stone-300" data-testid="run-duration">
        {formatDuration(liveDuration(run, now, live))}
        {live && <span className="text-stone-500 dark:text-stone-400"> so far</span>}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 tabular-nums dark:text-stone-300">
        {run.childrenTotal > 0 ? (
          <span title={`${run.childrenSucceeded} succeeded, ${run.childrenFailed} failed of ${run.childrenTotal}`}>
            <span className="text-emerald-700 dark:text-emerald-400">{run.childrenSucceeded}</span>
            {run.childrenFailed > 0 && <span className="text-red-700 dark:text-red-400"> / {run.childrenFailed} failed</span>}
            <span className="text-stone-500 dark:text-stone-400"> of {run.childrenTotal}</span>
          </span>
        ) : (
          <span className="text-stone-500 dark:text-stone-400">—</span>
        )}
      </Td>
    </Tr>
  );
}

export function RunTableHead({ showJob = false }: { showJob?: boolean }) {
  return (
    <tr>
      <th scope="col" className="px-4 py-2.5 font-medium">Status</th>
      <th scope="col" className="px-4 py-2.5 font-medium">Run</th>
      {showJob && <th scope="col" className="px-4 py-2.5 font-medium">Job</th>}
      <th scope="col" className="px-4 py-2.5 font-medium">Trigger</th>
      <th scope="col" className="px-4 py-2.5 font-medium">Started</th>
      <th scope="col" className="px-4 py-2.5 font-medium">Duration</th>
      <th scope="col" className="px-4 py-2.5 font-medium">Users</th>
    </tr>
  );
}
