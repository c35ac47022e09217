// A run's timings card: trigger and who started it, the user it ran for, when it was due, started and finished,
// its duration (ticking in the browser while it runs), attempt, queue, `since` and progress.
import type { ReactNode } from 'react';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime, formatDuration, liveDuration, useNow } from '../../lib/format';
import { Card } from '../ui/Card';
import { isActiveStatus, RUN_TRIGGER_LABEL } from './runStatus';

export const RunTimings_RunFragment = graphql(`
  fragment RunTimings_RunFragment on Run {
    status
    trigger
    late
    queue
    priority
    attempt
    maxAttempts
    scheduledFor
    startedAt
    finishedAt
    durationMs
    since
    progressDone
    progressTotal
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

export function RunTimings(props: { run: FragmentType<typeof RunTimings_RunFragment> }) {
  const run = useFragment(RunTimings_RunFragment, props.run);
  const live = isActiveStatus(run.status);
  const now = useNow(1000, live && run.startedAt != null);
  return (
    <Card title="Timings">
      <dl className="flex flex-col gap-2.5 text-sm">
        <Fact term="Trigger">
          {RUN_TRIGGER_LABEL[run.trigger]}
          {run.late && ' (catch-up)'}
        </Fact>
        <Fact term="Started by">
          {run.startedBy?.name ?? (run.trigger === 'SCHEDULE' ? 'The schedule' : run.trigger === 'CHAIN' ? 'Another run’s ending' : '—')}
        </Fact>
        {run.targetUser && <Fact term="For user">{run.targetUser.name}</Fact>}
        <Fact term="Scheduled for">{formatDateTime(run.scheduledFor, { seconds: true })}</Fact>
        <Fact term="Started">{formatDateTime(run.startedAt, { seconds: true })}</Fact>
        <Fact term="Finished">{formatDateTime(run.finishedAt, { seconds: true })}</Fact>
        <Fact term="Duration">
          <span data-testid="run-duration">{formatDuration(liveDuration(run, now, live))}</span>
          {live && run.startedAt ? ' so far' : ''}
        </Fact>
        <Fact term="Attempt">
          {run.attempt} of {run.maxAttempts}
        </Fact>
        <Fact term="Queue">
          {run.queue}
          {run.priority !== 0 && ` · priority ${run.priority}`}
        </Fact>
        {run.since != null && <Fact term="Since">{formatDateTime(run.since, { seconds: true })}</Fact>}
        {run.progressTotal != null && (
          <Fact term="Progress">
            <span data-testid="run-progress">
              {run.progressDone ?? 0} / {run.progressTotal}
            </span>
          </Fact>
        )}
      </dl>
    </Card>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="shrink-0 whitespace-nowrap text-stone-500 dark:text-stone-400">{term}</dt>
      <dd className="text-right font-medium tabular-nums">{children}</dd>
    </div>
  );
}
