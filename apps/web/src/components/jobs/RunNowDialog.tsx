// "Configure and run" (InvenioRDM): a title for the run, args that override the job's key by key, and `since`
// (default: the start of the job's last successful run). Runs now even when the job is paused.
import { fromZonedInput, zoneName } from '../../lib/format';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { Textarea } from '../ui/Textarea';
import { useToast } from '../ui/Toasts';
import { parseJsonObject } from './json';

const RunJobNowMutation = graphql(`
  mutation RunJobNowMutation($id: ID!, $title: String, $args: JSON, $since: DateTime) {
    runJobNow(id: $id, title: $title, args: $args, since: $since) {
      __typename
      ... on MutationRunJobNowSuccess {
        run {
          id
          status
        }
      }
      ...MutationError
    }
  }
`);

export interface RunNowTarget {
  id: string;
  name: string;
  args: unknown;
  perUser: boolean;
}

export function RunNowDialog({ job, open, onClose }: { job: RunNowTarget; open: boolean; onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [args, setArgs] = useState('');
  const [since, setSince] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [{ fetching }, runNow] = useMutation(RunJobNowMutation);
  const navigate = useNavigate();
  const toast = useToast();
  const errors = fieldErrorMap(fieldErrors);
  const parsedArgs = args.trim() ? parseJsonObject(args) : { ok: true as const, value: null };

  const close = () => {
    setTitle('');
    setArgs('');
    setSince('');
    setProblem(null);
    setFieldErrors([]);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsedArgs.ok) return;
    setProblem(null);
    setFieldErrors([]);
    const result = await runNow({
      id: job.id,
      title: title.trim() || null,
      args: parsedArgs.value,
      since: since ? fromZonedInput(since)?.toISOString() ?? null : null,
    });
    const outcome = outcomeOf(result, (data) => data.runJobNow);
    if (!outcome.ok) {
      setProblem(outcome.message);
      setFieldErrors(outcome.fieldErrors);
      return;
    }
    toast({ title: 'Run started', description: `${job.name} is running now.` });
    close();
    navigate(`/runs/${outcome.value.run.id}`);
  };

  const jobArgs = JSON.stringify(job.args ?? {}, null, 2);

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!fetching}
      size="lg"
      title={`Run “${job.name}” now`}
      description={
        job.perUser
          ? 'Starts one run now with a child run for each targeted user, also when the job is paused.'
          : 'Starts one run now, also when the job is paused. Its schedule is not changed.'
      }
      footer={
        <>
          <Button onClick={close} disabled={fetching}>
            Cancel
          </Button>
          <Button type="submit" form="run-now" variant="primary" loading={fetching}>
            Run now
          </Button>
        </>
      }
    >
      <form id="run-now" onSubmit={submit} className="flex flex-col gap-4 pb-2">
        {problem && <Alert title="The run did not start">{problem}</Alert>}
        <Input
          label="Title"
          placeholder="e.g. Re-import after the outage"
          help="Optional; shown on the run instead of the job's name."
          value={title}
          maxLength={200}
          onChange={(event) => setTitle(event.target.value)}
          error={errors.title}
        />
        <Textarea
          label="Args override"
          code
          rows={5}
          placeholder={'{ }'}
          value={args}
          onChange={(event) => setArgs(event.target.value)}
          error={!parsedArgs.ok ? parsedArgs.message : (errors.args ?? firstArgsError(fieldErrors))}
          help={
            <>
              A JSON object; its keys replace the job's for this run only. The job's args:
              <pre className="mt-1 max-h-32 overflow-auto rounded-md bg-stone-100 p-2 font-mono text-[12px] text-stone-700 dark:bg-stone-800 dark:text-stone-300">
                {jobArgs}
              </pre>
            </>
          }
        />
        <Input
          label={`Since (${zoneName()})`}
          type="datetime-local"
          value={since}
          onChange={(event) => setSince(event.target.value)}
          error={errors.since}
          help="Process what changed after this time. Empty: the start of the job's last successful run."
        />
      </form>
    </Dialog>
  );
}

function firstArgsError(errors: FieldError[]): string | undefined {
  const error = errors.find((e) => e.field.startsWith('args.'));
  return error ? `${error.field.slice('args.'.length)}: ${error.message}` : undefined;
}
