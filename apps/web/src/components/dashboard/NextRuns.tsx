// The dashboard's "Next scheduled runs": enabled jobs by their next fire time, each with its schedule in words.
// Jobs that only run by hand have no next fire time and are left out.
import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { RelativeTime } from '../time/RelativeTime';
import { Card } from '../ui/Card';

export const NextRuns_QueryJobsConnectionFragment = graphql(`
  fragment NextRuns_QueryJobsConnectionFragment on QueryJobsConnection {
    edges {
      node {
        id
        name
        nextRunAt
        scheduleDescription
      }
    }
  }
`);

export function NextRuns(props: { jobs: FragmentType<typeof NextRuns_QueryJobsConnectionFragment> }) {
  const connection = useFragment(NextRuns_QueryJobsConnectionFragment, props.jobs);
  const upcoming = connection.edges.map((edge) => edge.node).filter((job) => job.nextRunAt);
  return (
    <Card flush title="Next scheduled runs">
      {upcoming.length === 0 ? (
        <p className="px-5 py-6 text-sm text-stone-500 dark:text-stone-400">No enabled job has a schedule. Jobs that only run by hand are not listed.</p>
      ) : (
        <ul className="divide-y divide-stone-100 dark:divide-stone-800">
          {upcoming.map((job) => (
            <li key={job.id} className="flex items-center justify-between gap-4 px-5 py-3 text-sm">
              <div className="min-w-0">
                <Link to={`/jobs/${job.id}`} className="font-medium hover:underline">
                  {job.name}
                </Link>
                <p className="truncate text-xs text-stone-500 dark:text-stone-400">{job.scheduleDescription}</p>
              </div>
              <RelativeTime value={job.nextRunAt} className="shrink-0 text-stone-600 tabular-nums dark:text-stone-300" />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
