// What a run got and what it gave back: its effective args (the job's args with the run's overrides) and its
// output, each as formatted JSON in its own card.
import { type FragmentType, graphql, useFragment } from '../../gql';
import { Card } from '../ui/Card';
import { isActiveStatus } from './runStatus';

export const RunArgs_RunFragment = graphql(`
  fragment RunArgs_RunFragment on Run {
    args
  }
`);

export const RunOutput_RunFragment = graphql(`
  fragment RunOutput_RunFragment on Run {
    status
    output
  }
`);

export function RunArgs(props: { run: FragmentType<typeof RunArgs_RunFragment> }) {
  const run = useFragment(RunArgs_RunFragment, props.run);
  return (
    <Card title="Args" description="What the action got: the job's args with this run's overrides.">
      <JsonBlock value={run.args} />
    </Card>
  );
}

export function RunOutput(props: { run: FragmentType<typeof RunOutput_RunFragment> }) {
  const run = useFragment(RunOutput_RunFragment, props.run);
  return (
    <Card title="Output" description="What the action returned.">
      {run.output === null || run.output === undefined ? (
        <p className="text-sm text-stone-500 dark:text-stone-400">{isActiveStatus(run.status) ? 'Not finished yet.' : 'Nothing.'}</p>
      ) : (
        <JsonBlock value={run.output} />
      )}
    </Card>
  );
}

function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre className="max-h-72 overflow-auto rounded-lg bg-stone-50 p-3 font-mono text-[12px] leading-relaxed break-words whitespace-pre-wrap text-stone-800 ring-1 ring-stone-200 dark:bg-stone-950 dark:text-stone-200 dark:ring-stone-800">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
