// The job page's "Webhook" card: whether a POST to the job's address starts a run, the address and a curl example
// to copy, the secret (shown once, when enabling makes it and when it is rotated) and the last deliveries. The card
// reads its hook with a query of its own: in the job page's query, the deliveries list takes that query past the
// server's cost limit (graphql.max_cost).
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Badge, type Tone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyButton } from '../ui/CopyButton';
import { Dialog } from '../ui/Dialog';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton } from '../ui/Skeleton';
import { useToast } from '../ui/Toasts';

export const JobWebhook_JobFragment = graphql(`
  fragment JobWebhook_JobFragment on Job {
    id
    name
    viewerCanEdit
  }
`);

export const JobWebhook_JobWebhookFragment = graphql(`
  fragment JobWebhook_JobWebhookFragment on JobWebhook {
    jobId
    enabled
    path
    url
    signaturesAccepted
    secretRotatedAt
    previousSecretValidUntil
    deliveries(last: 8) {
      id
      receivedAt
      status
      accepted
      error
      runId
    }
  }
`);

const JobWebhookQuery = graphql(`
  query JobWebhookQuery($jobId: ID!) {
    jobWebhook(jobId: $jobId) {
      ...JobWebhook_JobWebhookFragment
    }
  }
`);

const EnableJobWebhookMutation = graphql(`
  mutation EnableJobWebhookMutation($jobId: ID!) {
    enableJobWebhook(jobId: $jobId) {
      __typename
      ... on MutationEnableJobWebhookSuccess {
        result {
          secret
          webhook {
            ...JobWebhook_JobWebhookFragment
          }
        }
      }
      ...MutationError
    }
  }
`);

const DisableJobWebhookMutation = graphql(`
  mutation DisableJobWebhookMutation($jobId: ID!) {
    disableJobWebhook(jobId: $jobId) {
      __typename
      ... on MutationDisableJobWebhookSuccess {
        webhook {
          ...JobWebhook_JobWebhookFragment
        }
      }
      ...MutationError
    }
  }
`);

const RotateJobWebhookSecretMutation = graphql(`
  mutation RotateJobWebhookSecretMutation($jobId: ID!) {
    rotateJobWebhookSecret(jobId: $jobId) {
      __typename
      ... on MutationRotateJobWebhookSecretSuccess {
        result {
          secret
          webhook {
            ...JobWebhook_JobWebhookFragment
          }
        }
      }
      ...MutationError
    }
  }
`);

function deliveryTone(status: number): Tone {
  if (status === 202) return 'success';
  if (status === 401) return 'warning';
  return 'danger';
}

const STATUS_LABEL: Record<number, string> = { 202: 'Accepted', 400: 'Bad request', 401: 'Unauthenticated', 413: 'Too large', 422: 'Invalid args' };

/** The curl command that starts a run, for the hook's address; the secret itself when just shown, else a variable. */
export function curlExample(address: string, secret: string | null): string {
  return [
    `curl -X POST '${address}' \\`,
    `  -H "Authorization: Bearer ${secret ?? '$SUNDIAL_HOOK_SECRET'}" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "Idempotency-Key: $(uuidgen)" \\`,
    `  -d '{}'`,
  ].join('\n');
}

export function JobWebhook(props: { job: FragmentType<typeof JobWebhook_JobFragment> }) {
  const job = useFragment(JobWebhook_JobFragment, props.job);
  const [{ data, error, fetching }, reexecute] = useQuery({ query: JobWebhookQuery, variables: { jobId: job.id } });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const hook = useFragment(JobWebhook_JobWebhookFragment, data?.jobWebhook);
  const [{ fetching: enabling }, enable] = useMutation(EnableJobWebhookMutation);
  const [{ fetching: disabling }, disable] = useMutation(DisableJobWebhookMutation);
  const [, rotate] = useMutation(RotateJobWebhookSecretMutation);
  const [rotating, setRotating] = useState(false);
  const [shownSecret, setShownSecret] = useState<string | null>(null);
  const toast = useToast();
  const address = hook ? (hook.url ?? `${window.location.origin}${hook.path}`) : null;

  const turnOn = async () => {
    const outcome = outcomeOf(await enable({ jobId: job.id }), (data) => data.enableJobWebhook);
    if (!outcome.ok) {
      toast({ tone: 'danger', title: 'Could not enable the webhook', description: outcome.message });
      return;
    }
    if (outcome.value.result.secret) setShownSecret(outcome.value.result.secret);
    else toast({ title: 'Webhook enabled', description: `POST requests to its address start runs of ${job.name}.` });
    refresh();
  };

  const turnOff = async () => {
    const outcome = outcomeOf(await disable({ jobId: job.id }), (data) => data.disableJobWebhook);
    if (outcome.ok) toast({ title: 'Webhook disabled', description: 'Requests to its address are answered 404.' });
    else toast({ tone: 'danger', title: 'Could not disable the webhook', description: outcome.message });
    refresh();
  };

  const rotateSecret = async (): Promise<string | null> => {
    const outcome = outcomeOf(await rotate({ jobId: job.id }), (data) => data.rotateJobWebhookSecret);
    if (!outcome.ok) return outcome.message;
    setRotating(false);
    setShownSecret(outcome.value.result.secret);
    refresh();
    return null;
  };

  return (
    <Card
      title="Webhook"
      actions={
        hook?.enabled && (
          <Button size="sm" onClick={refresh} loading={fetching}>
            Refresh
          </Button>
        )
      }
    >
      {!data && fetching ? (
        <div role="status" aria-label="Loading the webhook">
          <Skeleton className="h-16 rounded-lg" />
        </div>
      ) : error && !data ? (
        <ErrorState title="Could not load the webhook" message={describeError(error)} onRetry={refresh} retrying={fetching} />
      ) : !hook?.enabled ? (
        <div className="flex flex-col gap-3 text-sm">
          <p className="text-stone-500 dark:text-stone-400">
            Off. When on, an authenticated <code className="font-mono">POST</code> to the job's own address starts a run, with the JSON body
            overriding the job's args.
          </p>
          {job.viewerCanEdit && (
            <div>
              <Button variant="primary" size="sm" loading={enabling} onClick={() => void turnOn()}>
                Enable webhook
              </Button>
            </div>
          )}
        </div>
      ) : (
        <div className="flex flex-col gap-4 text-sm">
          <div className="flex items-center gap-2">
            <Badge tone="success">On</Badge>
            <span className="text-xs text-stone-500 dark:text-stone-400">
              Secret made {formatRelative(hook.secretRotatedAt)}
              {hook.previousSecretValidUntil ? ` · the previous one works until ${formatDateTime(hook.previousSecretValidUntil)}` : ''}
            </span>
          </div>
          <div>
            <label htmlFor="job-webhook-address" className="text-xs font-medium text-stone-500 dark:text-stone-400">
              Address
            </label>
            <div className="mt-1 flex flex-col gap-2">
              <input
                id="job-webhook-address"
                readOnly
                value={address ?? ''}
                onFocus={(event) => event.target.select()}
                className="min-w-0 rounded-lg border border-stone-300 bg-stone-50 px-3 py-1.5 font-mono text-[12px] dark:border-stone-700 dark:bg-stone-950"
              />
              <div>
                <CopyButton size="sm" text={address ?? ''} label="Copy address" />
              </div>
            </div>
          </div>
          <div>
            <p className="text-xs font-medium text-stone-500 dark:text-stone-400">Start a run with curl</p>
            <pre
              tabIndex={0}
              aria-label="curl example"
              className="mt-1 overflow-x-auto rounded-lg bg-stone-50 p-3 font-mono text-[12px] leading-relaxed text-stone-800 ring-1 ring-stone-200 focus-visible:outline-2 focus-visible:outline-amber-500 dark:bg-stone-950 dark:text-stone-200 dark:ring-stone-800"
            >
              {curlExample(address ?? '', null)}
            </pre>
            <div className="mt-2">
              <CopyButton size="sm" text={curlExample(address ?? '', null)} label="Copy curl" />
            </div>
            <p className="mt-2 text-xs text-stone-500 dark:text-stone-400">
              {hook.signaturesAccepted
                ? 'Senders may also sign instead of sending the secret: a Sundial-Signature header (t=…,v1=…), as described in docs/webhooks.md.'
                : 'Signed requests are not accepted for this secret (the server has no webhooks.secret_key, or the secret predates it): send it as a bearer secret.'}
            </p>
          </div>
          {job.viewerCanEdit && (
            <div className="flex flex-wrap gap-2">
              <Button size="sm" onClick={() => setRotating(true)}>
                Rotate secret
              </Button>
              <Button size="sm" variant="ghost" loading={disabling} onClick={() => void turnOff()}>
                Disable webhook
              </Button>
            </div>
          )}
          <Deliveries deliveries={hook.deliveries} />
        </div>
      )}
      <ConfirmDialog
        open={rotating}
        onClose={() => setRotating(false)}
        title="Rotate the webhook's secret?"
        confirmLabel="Rotate secret"
        tone="primary"
        onConfirm={rotateSecret}
      >
        A new secret is made and shown once. The current one keeps working for a short while (webhooks.rotation_overlap_seconds), so
        senders can switch over.
      </ConfirmDialog>
      {shownSecret && <SecretDialog secret={shownSecret} address={address ?? ''} onClose={() => setShownSecret(null)} />}
    </Card>
  );
}

function Deliveries({ deliveries }: { deliveries: { id: string; receivedAt: unknown; status: number; accepted: boolean; error?: string | null; runId?: string | null }[] }) {
  return (
    <div className="border-t border-stone-100 pt-3 dark:border-stone-800">
      <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">Last deliveries</h3>
      {deliveries.length === 0 ? (
        <p className="mt-2 text-sm text-stone-500 dark:text-stone-400">None yet. Requests to the address appear here.</p>
      ) : (
        <ul aria-label="Last webhook deliveries" className="mt-2 flex flex-col gap-2.5 text-sm">
          {deliveries.map((delivery) => (
            <li key={delivery.id} className="flex flex-col gap-0.5">
              <div className="flex items-center gap-2">
                <Badge tone={deliveryTone(delivery.status)}>
                  {delivery.status} {STATUS_LABEL[delivery.status] ?? ''}
                </Badge>
                <span className="text-xs text-stone-500 dark:text-stone-400">{formatDateTime(delivery.receivedAt, { seconds: true })}</span>
                {delivery.runId && (
                  <Link to={`/runs/${delivery.runId}`} className="text-xs underline-offset-2 hover:underline">
                    Run
                  </Link>
                )}
              </div>
              {delivery.error && <p className="text-xs break-words text-red-700 dark:text-red-400">{delivery.error}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SecretDialog({ secret, address, onClose }: { secret: string; address: string; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={false}
      title="The webhook's secret"
      size="lg"
      footer={
        <Button variant="primary" onClick={onClose}>
          I have stored the secret
        </Button>
      }
    >
      <div className="flex flex-col gap-4 text-sm">
        <Alert tone="warning" title="Copy the secret now — it is shown only once">
          If it is lost, rotate it to get a new one.
        </Alert>
        <div>
          <label htmlFor="job-webhook-secret" className="text-sm font-medium">
            Secret
          </label>
          <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
            <input
              id="job-webhook-secret"
              readOnly
              value={secret}
              onFocus={(event) => event.target.select()}
              className="min-w-0 flex-1 rounded-lg border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-[13px] dark:border-stone-700 dark:bg-stone-950"
            />
            <CopyButton text={secret} label="Copy secret" />
          </div>
        </div>
        <div>
          <p className="text-sm font-medium">Try it</p>
          <pre
            tabIndex={0}
            aria-label="curl example with the secret"
            className="mt-1.5 overflow-x-auto rounded-lg bg-stone-50 p-3 font-mono text-[12px] leading-relaxed ring-1 ring-stone-200 focus-visible:outline-2 focus-visible:outline-amber-500 dark:bg-stone-950 dark:ring-stone-800"
          >
            {curlExample(address, secret)}
          </pre>
          <div className="mt-2">
            <CopyButton size="sm" text={curlExample(address, secret)} label="Copy curl" />
          </div>
        </div>
      </div>
    </Dialog>
  );
}
