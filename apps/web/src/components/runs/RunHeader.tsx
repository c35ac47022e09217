// The run page's header: the run's name, where it belongs (job, per-user parent), its status, and Cancel and Retry
// when the server says the viewer may (viewerCanCancel / viewerCanRetry).
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { outcomeOf } from '../../lib/mutationResult';
import { PageHeader } from '../layout/PageHeader';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { RetryIcon, StopIcon } from '../ui/icons';
import { useToast } from '../ui/Toasts';
import { runName, runPath } from './runStatus';
import { RunStatusBadge } from './RunStatusBadge';

export const RunHeader_RunFragment = graphql(`
  fragment RunHeader_RunFragment on Run {
    id
    title
    status
    statusReason
    viewerCanCancel
    viewerCanRetry
    targetUser {
      id
      name
    }
    parentRun {
      id
      title
      job {
        id
        name
      }
      targetUser {
        id
        name
      }
    }
    job {
      id
      name
    }
  }
`);

const CancelRunMutation = graphql(`
  mutation CancelRunMutation($id: ID!) {
    cancelRun(id: $id) {
      __typename
      ... on MutationCancelRunSuccess {
        run {
          id
          status
        }
      }
      ...MutationError
    }
  }
`);

const RetryRunMutation = graphql(`
  mutation RetryRunMutation($id: ID!) {
    retryRun(id: $id) {
      __typename
      ... on MutationRetryRunSuccess {
        run {
          id
        }
      }
      ...MutationError
    }
  }
`);

export function RunHeader(props: { run: FragmentType<typeof RunHeader_RunFragment> }) {
  const run = useFragment(RunHeader_RunFragment, props.run);
  const [cancelling, setCancelling] = useState(false);
  const [, cancel] = useMutation(CancelRunMutation);
  const [{ fetching: retrying }, retry] = useMutation(RetryRunMutation);
  const navigate = useNavigate();
  const toast = useToast();
  const cancelled = run.status === 'CANCELLED';
  const crumbs = [
    { label: 'Jobs', to: '/jobs' },
    { label: run.job.name, to: `/jobs/${run.job.id}` },
    ...(run.parentRun ? [{ label: runName(run.parentRun), to: runPath(run.parentRun) }] : []),
  ];

  const doRetry = async () => {
    const outcome = outcomeOf(await retry({ id: run.id }), (data) => data.retryRun);
    if (!outcome.ok) {
      toast({ tone: 'danger', title: 'Could not retry the run', description: outcome.message });
      return;
    }
    toast({ title: 'Run started again' });
    navigate(`/jobs/${run.job.id}/runs/${outcome.value.run.id}`);
  };

  return (
    <>
      <PageHeader
        title={runName(run)}
        crumbs={crumbs}
        badge={<RunStatusBadge status={run.status} />}
        description={cancelled ? undefined : run.statusReason ?? undefined}
        actions={
          <>
            {run.viewerCanCancel && (
              <Button icon={<StopIcon />} onClick={() => setCancelling(true)}>
                Cancel run
              </Button>
            )}
            {run.viewerCanRetry && (
              <Button variant={cancelled ? 'secondary' : 'primary'} icon={<RetryIcon />} loading={retrying} onClick={doRetry}>
                Retry
              </Button>
            )}
          </>
        }
      />
      <ConfirmDialog
        open={cancelling}
        onClose={() => setCancelling(false)}
        title="Cancel this run?"
        confirmLabel="Cancel run"
        onConfirm={async () => {
          const outcome = outcomeOf(await cancel({ id: run.id }), (data) => data.cancelRun);
          if (!outcome.ok) return outcome.message;
          toast({ title: 'Cancelling the run' });
        }}
      >
        <p>A queued run is cancelled at once. A running one is asked to stop; the action decides how soon it can.</p>
      </ConfirmDialog>
    </>
  );
}
