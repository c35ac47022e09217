// A per-user parent's children: the roll-up ("7 of 10 succeeded, 2 failed, 1 to go") with its bar, and the
// children's list (ChildRuns, which reads its own pages). Nothing for a run without per-user children.
import { type FragmentType, graphql, useFragment } from '../../gql';
import { Card } from '../ui/Card';
import { ChildRuns } from './ChildRuns';

export const RunChildren_RunFragment = graphql(`
  fragment RunChildren_RunFragment on Run {
    id
    status
    childrenTotal
    childrenSucceeded
    childrenFailed
    job {
      id
      name
    }
  }
`);

export function RunChildren(props: { run: FragmentType<typeof RunChildren_RunFragment> }) {
  const run = useFragment(RunChildren_RunFragment, props.run);
  if (run.childrenTotal <= 0) return null;
  return (
    <Card flush title="Per-user runs" description={<RollUp total={run.childrenTotal} succeeded={run.childrenSucceeded} failed={run.childrenFailed} />}>
      <ChildRuns parentRunId={run.id} job={run.job} refreshKey={`${run.status}:${run.childrenSucceeded}:${run.childrenFailed}`} />
    </Card>
  );
}

function RollUp({ total, succeeded, failed }: { total: number; succeeded: number; failed: number }) {
  const done = succeeded + failed;
  return (
    <span className="flex flex-col gap-1.5">
      <span data-testid="children-rollup">
        {succeeded} of {total} succeeded{failed > 0 ? `, ${failed} failed` : ''}
        {done < total ? `, ${total - done} to go` : ''}
      </span>
      <span aria-hidden="true" className="flex h-1.5 w-64 max-w-full overflow-hidden rounded-full bg-stone-200 dark:bg-stone-800">
        <span className="bg-emerald-500" style={{ width: `${(succeeded / total) * 100}%` }} />
        <span className="bg-red-500" style={{ width: `${(failed / total) * 100}%` }} />
      </span>
    </span>
  );
}
