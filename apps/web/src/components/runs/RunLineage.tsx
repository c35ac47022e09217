// A run's place in a chain: the run whose ending started it ("Caused by run … of job …") and the follow-up runs its
// own ending started, each linked. Shown on the run page only when there is something to show.
import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime } from '../../lib/format';
import { Card } from '../ui/Card';
import { RUN_TRIGGER_LABEL, runName, runPath } from './runStatus';
import { RunStatusBadge } from './RunStatusBadge';

export const RunLineage_RunFragment = graphql(`
  fragment RunLineage_RunFragment on Run {
    id
    trigger
    chainDepth
    causedByRun {
      id
      title
      status
      trigger
      finishedAt
      job {
        id
        name
      }
    }
    startedRuns {
      id
      title
      status
      createdAt
      job {
        id
        name
      }
    }
  }
`);

export function RunLineage({ run: runRef }: { run: FragmentType<typeof RunLineage_RunFragment> }) {
  const run = useFragment(RunLineage_RunFragment, runRef);
  const cause = run.causedByRun;
  if (!cause && run.startedRuns.length === 0) {
    if (run.trigger !== 'CHAIN') return null;
    return (
      <Card title="Chain">
        <p className="text-sm text-stone-600 dark:text-stone-300" data-testid="run-cause">
          A follow-up of a run that no longer exists.
        </p>
      </Card>
    );
  }
  return (
    <Card title="Chain" description={run.chainDepth > 0 ? `Follow-up ${run.chainDepth} in a row.` : undefined}>
      <div className="flex flex-col gap-4 text-sm">
        {cause && (
          <p data-testid="run-cause" className="flex flex-wrap items-center gap-2">
            <span>
              Caused by{' '}
              <Link className="font-medium text-amber-700 underline-offset-2 hover:underline dark:text-amber-300" to={runPath(cause)}>
                run {runName(cause)}
              </Link>{' '}
              of job{' '}
              <Link className="font-medium text-amber-700 underline-offset-2 hover:underline dark:text-amber-300" to={`/jobs/${cause.job.id}`}>
                {cause.job.name}
              </Link>
              {cause.finishedAt ? `, which ended ${formatDateTime(cause.finishedAt, { seconds: true })}` : ''}
            </span>
            <RunStatusBadge status={cause.status} />
          </p>
        )}
        {run.startedRuns.length > 0 && (
          <div>
            <h3 className="mb-2 font-medium text-stone-800 dark:text-stone-200">Started</h3>
            <ul aria-label="Runs this run started" className="flex flex-col gap-2" data-testid="started-runs">
              {run.startedRuns.map((started) => (
                <li key={started.id} className="flex flex-wrap items-center gap-2">
                  <Link className="font-medium text-amber-700 underline-offset-2 hover:underline dark:text-amber-300" to={runPath(started)}>
                    {runName(started)}
                  </Link>
                  <RunStatusBadge status={started.status} />
                  <span className="text-stone-500 dark:text-stone-400">
                    {RUN_TRIGGER_LABEL.CHAIN}, {formatDateTime(started.createdAt, { seconds: true })}
                  </span>
                </li>
              ))}
            </ul>
            <Link className="mt-2 inline-block text-amber-700 underline-offset-2 hover:underline dark:text-amber-300" to={`/runs?causedBy=${run.id}`}>
              In the runs list
            </Link>
          </div>
        )}
      </div>
    </Card>
  );
}
