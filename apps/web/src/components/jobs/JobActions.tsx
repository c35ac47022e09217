// What can be done to a job — run now, edit, pause/resume, delete — for the row menu and the job page alike.
// Whether the viewer may is the server's answer (viewerCanRun / viewerCanEdit / viewerCanDelete).
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { outcomeOf } from '../../lib/mutationResult';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import type { MenuItem } from '../ui/DropdownMenu';
import { PauseIcon, PencilIcon, PlayIcon, TrashIcon } from '../ui/icons';
import { useToast } from '../ui/Toasts';
import { RunNowDialog } from './RunNowDialog';

export const JobActions_JobFragment = graphql(`
  fragment JobActions_JobFragment on Job {
    id
    name
    enabled
    perUser
    args
    viewerCanRun
    viewerCanEdit
    viewerCanDelete
  }
`);

const EnableJobMutation = graphql(`
  mutation EnableJobMutation($id: ID!) {
    enableJob(id: $id) {
      __typename
      ... on MutationEnableJobSuccess {
        job {
          id
          enabled
          nextRunAt
          disabledReason
        }
      }
      ...MutationError
    }
  }
`);

const DisableJobMutation = graphql(`
  mutation DisableJobMutation($id: ID!) {
    disableJob(id: $id) {
      __typename
      ... on MutationDisableJobSuccess {
        job {
          id
          enabled
          nextRunAt
          disabledReason
        }
      }
      ...MutationError
    }
  }
`);

const DeleteJobMutation = graphql(`
  mutation DeleteJobMutation($id: ID!) {
    deleteJob(id: $id) {
      __typename
      ... on MutationDeleteJobSuccess {
        deletedJobId
      }
      ...MutationError
    }
  }
`);

export interface JobActionsApi {
  /** Items for a DropdownMenu; actions the viewer may not take are left out. */
  menuItems: MenuItem[];
  runNow: (() => void) | null;
  remove: (() => void) | null;
  setEnabled: ((enabled: boolean) => Promise<void>) | null;
  toggling: boolean;
  /** Render once, anywhere: the dialogs the actions open. */
  dialogs: ReactNode;
  canRun: boolean;
  canEdit: boolean;
  canDelete: boolean;
}

export function useJobActions(
  jobRef: FragmentType<typeof JobActions_JobFragment>,
  { afterDelete }: { afterDelete?: () => void } = {},
): JobActionsApi {
  const job = useFragment(JobActions_JobFragment, jobRef);
  const [running, setRunning] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [{ fetching: enabling }, enable] = useMutation(EnableJobMutation);
  const [{ fetching: disabling }, disable] = useMutation(DisableJobMutation);
  const [, remove] = useMutation(DeleteJobMutation);
  const navigate = useNavigate();
  const toast = useToast();

  const setEnabled = async (enabled: boolean) => {
    const outcome = enabled
      ? outcomeOf(await enable({ id: job.id }), (data) => data.enableJob)
      : outcomeOf(await disable({ id: job.id }), (data) => data.disableJob);
    if (outcome.ok) {
      toast({ title: enabled ? 'Job resumed' : 'Job paused', description: enabled ? `${job.name} runs on its schedule again.` : `${job.name} will not run on its schedule until resumed.` });
    } else {
      toast({ tone: 'danger', title: enabled ? 'Could not resume the job' : 'Could not pause the job', description: outcome.message });
    }
  };

  const menuItems: MenuItem[] = [];
  if (job.viewerCanRun) menuItems.push({ label: 'Run now', icon: <PlayIcon />, onSelect: () => setRunning(true) });
  if (job.viewerCanEdit) {
    menuItems.push({ label: 'Edit', icon: <PencilIcon />, onSelect: () => void navigate(`/jobs/${job.id}/edit`) });
    menuItems.push(
      job.enabled
        ? { label: 'Pause', icon: <PauseIcon />, onSelect: () => void setEnabled(false) }
        : { label: 'Resume', icon: <PlayIcon />, onSelect: () => void setEnabled(true) },
    );
  }
  if (job.viewerCanDelete) menuItems.push({ label: 'Delete', icon: <TrashIcon />, tone: 'danger', onSelect: () => setDeleting(true) });

  const dialogs = (
    <>
      {job.viewerCanRun && <RunNowDialog job={job} open={running} onClose={() => setRunning(false)} />}
      {job.viewerCanDelete && (
        <ConfirmDialog
          open={deleting}
          onClose={() => setDeleting(false)}
          title={`Delete “${job.name}”?`}
          confirmLabel="Delete job"
          onConfirm={async () => {
            const outcome = outcomeOf(await remove({ id: job.id }, { additionalTypenames: ['Job'] }), (data) => data.deleteJob);
            if (!outcome.ok) return outcome.message;
            toast({ title: 'Job deleted', description: `${job.name} and its runs are gone.` });
            afterDelete?.();
          }}
        >
          <p>The job, all its runs and their logs are deleted, and its schedule stops. This cannot be undone.</p>
          <p>To stop it for a while instead, pause it.</p>
        </ConfirmDialog>
      )}
    </>
  );

  return {
    menuItems,
    runNow: job.viewerCanRun ? () => setRunning(true) : null,
    remove: job.viewerCanDelete ? () => setDeleting(true) : null,
    setEnabled: job.viewerCanEdit ? setEnabled : null,
    toggling: enabling || disabling,
    dialogs,
    canRun: job.viewerCanRun,
    canEdit: job.viewerCanEdit,
    canDelete: job.viewerCanDelete,
  };
}
