// The dashboard's "Latest failures": the newest failed, timed-out or interrupted runs, each linked, with its error's
// first line and how long ago it was created.
import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { RunStatusBadge } from '../runs/RunStatusBadge';
import { RelativeTime } from '../time/RelativeTime';
import { Card } from '../ui/Card';

export const LatestFailures_QueryRunsConnectionFragment = graphql(`
  fragment LatestFailures_QueryRunsConnectionFragment on QueryRunsConnection {
    edges {
      node {
        id
        title
        status
        errorMessage
        createdAt
        job {
          id
          name
        }
      }
    }
  }
`);

export function LatestFailures(props: { runs: FragmentType<typeof LatestFailures_QueryRunsConnectionFragment> }) {
  const connection = useFragment(LatestFailures_QueryRunsConnectionFragment, props.runs);
  return (
    <Card flush title="Latest failures">
      {connection.edges.length === 0 ? (
        <p className="px-5 py-6 text-sm text-stone-500 dark:text-stone-400">No failures in the last 24 hours.</p>
      ) : (
        <ul className="divide-y divide-stone-100 dark:divide-stone-800">
          {connection.edges.map(({ node: run }) => (
            <li key={run.id} className="flex items-start justify-between gap-4 px-5 py-3 text-sm">
              <div className="min-w-0">
                <Link to={`/jobs/${run.job.id}/runs/${run.id}`} className="font-medium hover:underline">
                  {run.title || run.job.name}
                </Link>
                {run.errorMessage && <p className="truncate font-mono text-xs text-red-600 dark:text-red-400">{run.errorMessage}</p>}
              </div>
              <div className="flex shrink-0 flex-col items-end gap-1">
                <RunStatusBadge status={run.status} />
                <RelativeTime value={run.createdAt} className="text-xs text-stone-500 dark:text-stone-400" />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
