// What the run page says above its cards when there is something to say: who cancelled it and when, why it waits
// (no worker takes its queue), and the error it failed with, with the stack trace folded.
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime } from '../../lib/format';
import { Alert } from '../ui/Alert';

export const RunNotices_RunFragment = graphql(`
  fragment RunNotices_RunFragment on Run {
    status
    statusReason
    waitingReason
    finishedAt
    errorMessage
    errorStack
    cancellation {
      at
      by
    }
  }
`);

export function RunNotices(props: { run: FragmentType<typeof RunNotices_RunFragment> }) {
  const run = useFragment(RunNotices_RunFragment, props.run);
  const cancelled = run.status === 'CANCELLED';
  return (
    <>
      {cancelled && (
        <Alert tone="neutral" title={run.cancellation ? `Cancelled by ${run.cancellation.by} at ${formatDateTime(run.cancellation.at, { seconds: true })}` : 'Cancelled'}>
          <p data-testid="cancel-note">
            {run.statusReason === 'cancelled while running'
              ? 'It was stopped while running.'
              : run.statusReason === 'cancelled before it started'
                ? 'It was cancelled before it started.'
                : run.statusReason ?? 'It did not finish.'}{' '}
            {run.finishedAt != null && `Ended ${formatDateTime(run.finishedAt, { seconds: true })}.`}
          </p>
        </Alert>
      )}
      {run.waitingReason && (
        <Alert tone="warning" title="No worker takes this run's queue">
          <p data-testid="waiting-reason">
            {run.waitingReason}: it starts once a worker whose <code>jobs.queues</code> include it is running.
          </p>
        </Alert>
      )}
      {run.errorMessage && !cancelled && (
        <Alert title="The run failed with an error">
          <p className="font-mono text-[13px] break-words whitespace-pre-wrap">{run.errorMessage}</p>
          {run.errorStack && (
            <details className="mt-2">
              <summary className="cursor-pointer text-xs font-medium">Stack trace</summary>
              <pre className="mt-2 max-h-64 overflow-auto font-mono text-[11px] leading-relaxed">{run.errorStack}</pre>
            </details>
          )}
        </Alert>
      )}
    </>
  );
}
