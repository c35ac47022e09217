import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime, formatDuration, formatRelative } from '../../lib/format';
import { Td, Tr } from '../ui/Table';
import { RUN_TRIGGER_LABEL } from './runStatus';
import { RunStatusBadge } from './RunStatusBadge';

export const RunRow_RunFragment = graphql(`
  fragment RunRow_RunFragment on Run {
    id
    title
    status
    statusReason
    trigger
    attempt
    createdAt
    startedAt
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

/** One run in a list; `job` adds a column with the job's name (the all-runs page). */
export function RunRow(props: { run: FragmentType<typeof RunRow_RunFragment>; job?: { id: string; name: string } }) {
  const run = useFragment(RunRow_RunFragment, props.run);
  const name = run.title || (run.targetUser ? `For ${run.targetUser.name}` : `Run ${run.id.slice(-6)}`);
  return (
    <Tr aria-label={`Run ${name}`}>
      <Td>
        <RunStatusBadge status={run.status} />
      </Td>
      <Td className="max-w-80">
        <Link to={`/runs/${run.id}`} className="font-medium text-stone-900 hover:text-amber-700 hover:underline dark:text-stone-100 dark:hover:text-amber-300">
          {name}
        </Link>
        {run.statusReason && <p className="mt-0.5 truncate text-xs text-stone-500 dark:text-stone-400">{run.statusReason}</p>}
      </Td>
      {props.job && (
        <Td>
          <Link to={`/jobs/${props.job.id}`} className="text-stone-700 hover:underline dark:text-stone-300">
            {props.job.name}
          </Link>
        </Td>
      )}
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">
        {RUN_TRIGGER_LABEL[run.trigger]}
        {run.startedBy && <span className="text-stone-400"> · {run.startedBy.name}</span>}
        {run.attempt > 1 && <span className="text-stone-400"> · attempt {run.attempt}</span>}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300" title={formatDateTime(run.startedAt ?? run.createdAt, { seconds: true })}>
        {formatRelative(run.startedAt ?? run.createdAt)}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 tabular-nums dark:text-stone-300">{formatDuration(run.durationMs)}</Td>
      <Td className="whitespace-nowrap text-stone-600 tabular-nums dark:text-stone-300">
        {run.childrenTotal > 0 ? (
          <span title={`${run.childrenSucceeded} succeeded, ${run.childrenFailed} failed of ${run.childrenTotal}`}>
            <span className="text-emerald-700 dark:text-emerald-400">{run.childrenSucceeded}</span>
            {run.childrenFailed > 0 && <span className="text-red-600 dark:text-red-400"> / {run.childrenFailed} failed</span>}
            <span className="text-stone-400"> of {run.childrenTotal}</span>
          </span>
        ) : (
          <span className="text-stone-400">—</span>
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
