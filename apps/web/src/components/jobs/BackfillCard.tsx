// Backfill: run a job's slots over a past range. Pick the range, see the slots and their count (the server's
// preview, at most 1,000), then start one BACKFILL run per slot; a backfill under way can be cancelled as a whole.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { describeError, fieldErrorMap, type FieldError } from '../../lib/errors';
import { formatDateTime, fromZonedInput, zoneName } from '../../lib/format';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { Input } from '../ui/Input';
import { Spinner } from '../ui/Spinner';
import { useToast } from '../ui/Toasts';

const BackfillsQuery = graphql(`
  query JobBackfillsQuery($id: ID!) {
    job(id: $id) {
      id
      viewerCanRun
      backfills(first: 5) {
        id
        rangeStart
        rangeEnd
        slotCount
        activeRunCount
        cancelledAt
      }
    }
  }
`);

const BackfillPreviewQuery = graphql(`
  query BackfillPreviewQuery($input: BackfillInput!) {
    backfillPreview(input: $input) {
      __typename
      ... on QueryBackfillPreviewSuccess {
        preview {
          count
          more
          maxSlots
          slots(first: 10) {
            at
            scheduleTitle
          }
        }
      }
      ...MutationError
    }
  }
`);

const StartBackfillMutation = graphql(`
  mutation StartBackfillMutation($input: BackfillInput!) {
    startBackfill(input: $input) {
      __typename
      ... on MutationStartBackfillSuccess {
        backfill {
          id
          slotCount
        }
      }
      ...MutationError
    }
  }
`);

const CancelBackfillMutation = graphql(`
  mutation CancelBackfillMutation($id: ID!) {
    cancelBackfill(id: $id) {
      __typename
      ... on MutationCancelBackfillSuccess {
        result {
          cancelledRuns
        }
      }
      ...MutationError
    }
  }
`);

export function BackfillCard({ jobId }: { jobId: string }) {
  const [{ data, error, fetching }, refresh] = useQuery({ query: BackfillsQuery, variables: { id: jobId } });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [range, setRange] = useState<{ jobId: string; from: string; to: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [preview] = useQuery({ query: BackfillPreviewQuery, variables: { input: range ?? { jobId, from: '', to: '' } }, pause: !range });
  const [{ fetching: starting }, start] = useMutation(StartBackfillMutation);
  const [, cancel] = useMutation(CancelBackfillMutation);
  const toast = useToast();
  const previewOutcome = range && preview.data ? outcomeOf(preview, (result) => result.backfillPreview) : null;
  const errors = fieldErrorMap([...fieldErrors, ...(previewOutcome && !previewOutcome.ok ? previewOutcome.fieldErrors : [])]);

  const showPreview = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setFieldErrors([]);
    const fromDate = fromZonedInput(from);
    const toDate = fromZonedInput(to);
    const missing: FieldError[] = [];
    if (!fromDate) missing.push({ field: 'from', message: 'Choose when the range starts.' });
    if (!toDate) missing.push({ field: 'to', message: 'Choose when the range ends.' });
    if (missing.length > 0 || !fromDate || !toDate) {
      setFieldErrors(missing);
      setRange(null);
      return;
    }
    setRange({ jobId, from: fromDate.toISOString(), to: toDate.toISOString() });
  };

  const startBackfill = async () => {
    if (!range) return;
    const outcome = outcomeOf(await start({ input: range }), (result) => result.startBackfill);
    if (!outcome.ok) {
      setProblem(outcome.message);
      setFieldErrors(outcome.fieldErrors);
      return;
    }
    toast({ title: 'Backfill started', description: `${outcome.value.backfill.slotCount} runs queued.` });
    setRange(null);
    refresh({ requestPolicy: 'network-only' });
  };

  const cancelBackfill = async (id: string) => {
    const outcome = outcomeOf(await cancel({ id }), (result) => result.cancelBackfill);
    if (!outcome.ok) setProblem(outcome.message);
    else toast({ title: 'Backfill cancelled', description: `${outcome.value.result.cancelledRuns} runs cancelled.` });
    refresh({ requestPolicy: 'network-only' });
  };

  const job = data?.job;
  if (error) return <Card title="Backfill"><Alert tone="danger" title="The backfills could not be loaded">{describeError(error)}</Alert></Card>;
  if (fetching && !job) return <Card title="Backfill"><p className="flex items-center gap-2 text-sm"><Spinner /> Loading backfills…</p></Card>;
  if (!job?.viewerCanRun) return null;
  const ready = previewOutcome?.ok ? previewOutcome.value.preview : null;

  return (
    <Card title="Backfill">
      <form onSubmit={showPreview} className="flex flex-col gap-3" aria-label="Backfill a past range">
        <p className="text-sm text-stone-600 dark:text-stone-400">Run the job once for each slot of its schedules in a past range ({zoneName()}).</p>
        <Input label="From" type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} error={errors.from} />
        <Input label="To" type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} error={errors.to ?? errors.jobId} />
        <div>
          <Button type="submit" loading={preview.fetching}>Preview slots</Button>
        </div>
      </form>
      {problem && <div className="mt-3"><Alert tone="danger" title="The backfill was refused">{problem}</Alert></div>}
      {ready && (
        <div className="mt-4 border-t border-stone-100 pt-3 text-sm dark:border-stone-800" aria-live="polite" role="region" aria-label="Backfill preview">
          <p className="font-medium" data-testid="backfill-count">
            {ready.more ? `More than ${ready.maxSlots} slots: choose a shorter range.` : `${ready.count} slot${ready.count === 1 ? '' : 's'}`}
          </p>
          <ol className="mt-2 flex flex-col gap-1 tabular-nums" aria-label="Slots">
            {ready.slots.map((slot) => (
              <li key={`${String(slot.at)}-${slot.scheduleTitle}`} className="flex justify-between gap-3">
                <span>{formatDateTime(slot.at)}</span>
                <span className="text-stone-600 dark:text-stone-400">{slot.scheduleTitle}</span>
              </li>
            ))}
          </ol>
          {ready.count > ready.slots.length && <p className="mt-1 text-stone-600 dark:text-stone-400">…and {ready.count - ready.slots.length} more.</p>}
          <div className="mt-3">
            <Button variant="primary" onClick={() => void startBackfill()} loading={starting} disabledReason={ready.more || ready.count === 0 ? 'Nothing to run in this range' : undefined}>
              Start {ready.count} run{ready.count === 1 ? '' : 's'}
            </Button>
          </div>
        </div>
      )}
      {job.backfills.length > 0 && (
        <ul className="mt-4 flex flex-col gap-2 border-t border-stone-100 pt-3 text-sm dark:border-stone-800" aria-label="Backfills">
          {job.backfills.map((backfill) => (
            <li key={backfill.id} className="flex flex-wrap items-center justify-between gap-2">
              <span>
                {formatDateTime(backfill.rangeStart)} – {formatDateTime(backfill.rangeEnd)}: {backfill.slotCount} runs
                {backfill.cancelledAt ? ', cancelled' : backfill.activeRunCount > 0 ? `, ${backfill.activeRunCount} to go` : ', done'}
              </span>
              {!backfill.cancelledAt && backfill.activeRunCount > 0 && (
                <Button size="sm" onClick={() => void cancelBackfill(backfill.id)}>Cancel backfill</Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
