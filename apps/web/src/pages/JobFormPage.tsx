// /jobs/new and /jobs/:jobId/edit: loads the actions (and the job), then the form; users and roles are searched
// on the server by the form's pickers.
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { JobForm, jobInput, type JobDraft } from '../components/jobs/JobForm';
import { PageHeader } from '../components/layout/PageHeader';
import { buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { SearchIcon } from '../components/ui/icons';
import { Skeleton } from '../components/ui/Skeleton';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
import { describeError } from '../lib/errors';
import { outcomeOf } from '../lib/mutationResult';

const JobFormPageQuery = graphql(`
  query JobFormPageQuery($id: ID!, $editing: Boolean!) {
    actions {
      name
      ...JobForm_ActionFragment
    }
    job(id: $id) @include(if: $editing) {
      id
      name
      ...JobForm_JobFragment
    }
  }
`);

const CreateJobMutation = graphql(`
  mutation CreateJobMutation($input: CreateJobInput!) {
    createJob(input: $input) {
      __typename
      ... on MutationCreateJobSuccess {
        job {
          id
          name
        }
      }
      ...MutationError
    }
  }
`);

const UpdateJobMutation = graphql(`
  mutation UpdateJobMutation($id: ID!, $input: UpdateJobInput!) {
    updateJob(id: $id, input: $input) {
      __typename
      ... on MutationUpdateJobSuccess {
        job {
          id
          name
        }
      }
      ...MutationError
    }
  }
`);

export default function JobFormPage() {
  const { jobId } = useParams();
  const editing = Boolean(jobId);
  const navigate = useNavigate();
  const toast = useToast();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: JobFormPageQuery,
    variables: { id: jobId ?? '', editing },
    requestPolicy: 'network-only',
  });
  const [, createJob] = useMutation(CreateJobMutation);
  const [, updateJob] = useMutation(UpdateJobMutation);
  const title = editing ? `Edit ${data?.job?.name ?? 'job'}` : 'New job';
  const crumbs = editing && data?.job ? [{ label: 'Jobs', to: '/jobs' }, { label: data.job.name, to: `/jobs/${data.job.id}` }] : [{ label: 'Jobs', to: '/jobs' }];

  if (error && !data) {
    return (
      <>
        <PageHeader title={title} crumbs={crumbs} />
        <Card>
          <ErrorState title="Could not load the form" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        </Card>
      </>
    );
  }
  if (!data) {
    return (
      <div role="status" aria-label="Loading form" className="flex flex-col gap-6">
        <Skeleton className="h-8 w-64 rounded-md" />
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-48 rounded-2xl" />
        ))}
      </div>
    );
  }
  if (editing && !data.job) {
    return (
      <>
        <PageHeader title="Job not found" crumbs={crumbs} />
        <Card>
          <EmptyState icon={<SearchIcon />} title="There is no such job" action={<Link to="/jobs" className={buttonClass()}>All jobs</Link>}>
            It may have been deleted.
          </EmptyState>
        </Card>
      </>
    );
  }

  const save = async (draft: JobDraft) => {
    const input = jobInput(draft);
    const outcome =
      editing && jobId
        ? outcomeOf(await updateJob({ id: jobId, input }), (result) => result.updateJob)
        : outcomeOf(await createJob({ input: { ...input, enabled: draft.enabled } }, { additionalTypenames: ['Job'] }), (result) => result.createJob);
    if (!outcome.ok) return { message: outcome.message, fieldErrors: outcome.fieldErrors };
    toast({ title: editing ? 'Job saved' : 'Job created', description: outcome.value.job.name });
    // After the form has marked itself saved, so the unsaved-changes guard lets this through.
    setTimeout(() => void navigate(`/jobs/${outcome.value.job.id}`), 0);
    return null;
  };

  return (
    <>
      <PageHeader title={title} crumbs={crumbs} description={editing ? undefined : 'Pick an action, fill in its arguments, choose who it is for and when it runs.'} />
      <JobForm
        job={data.job}
        actions={data.actions}
        onSubmit={save}
        onCancel={() => navigate(editing && jobId ? `/jobs/${jobId}` : '/jobs')}
        submitLabel={editing ? 'Save changes' : 'Create job'}
      />
    </>
  );
}
