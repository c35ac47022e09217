// What a notification says, once for both channels: the e-mail's subject and text, and the webhook's JSON body.
import type { NotificationOutcome, Prisma } from '../../db/prisma.js';

/** What a notification shows of the run, read when the delivery is sent. */
export const notifiedRunSelect = {
  id: true,
  status: true,
  statusReason: true,
  errorMessage: true,
  attempt: true,
  maxAttempts: true,
  startedAt: true,
  finishedAt: true,
  job: { select: { id: true, name: true } },
} as const satisfies Prisma.RunSelect;

/** The run as a notification shows it: the row `notifiedRunSelect` reads. */
export type NotifiedRun = Prisma.RunGetPayload<{ select: typeof notifiedRunSelect }>;

export const OUTCOME_WORDS: Record<NotificationOutcome, string> = {
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  INTERRUPTED: 'was interrupted',
  PARTIALLY_SUCCEEDED: 'partially succeeded',
  SUCCEEDED: 'succeeded',
  RECOVERED: 'succeeded again after a failure',
};

/** The event name webhooks carry (body `event`, header X-Sundial-Event). */
export const WEBHOOK_EVENT = 'run.finished';

/** The run's page in the admin app, when server.public_url says where that is. */
export function runLink(publicUrl: string, runId: string): string | null {
  return publicUrl ? `${publicUrl}/runs/${runId}` : null;
}

export interface WebhookBody {
  event: typeof WEBHOOK_EVENT;
  outcome: NotificationOutcome;
  job: { id: string; name: string };
  /** The run's fields as read, times as ISO strings, and a link to its page when server.public_url is set. */
  run: Omit<NotifiedRun, 'job' | 'startedAt' | 'finishedAt'> & { startedAt: string | null; finishedAt: string | null; url: string | null };
}

export function webhookBody(run: NotifiedRun, outcome: NotificationOutcome, publicUrl: string): WebhookBody {
  return {
    event: WEBHOOK_EVENT,
    outcome,
    job: { id: run.job.id, name: run.job.name },
    run: {
      id: run.id,
      status: run.status,
      statusReason: run.statusReason,
      errorMessage: run.errorMessage,
      attempt: run.attempt,
      maxAttempts: run.maxAttempts,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      url: runLink(publicUrl, run.id),
    },
  };
}

/** Header values and subjects are one line: a job name with a line break must not add headers. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

export function emailMessage(run: NotifiedRun, outcome: NotificationOutcome, publicUrl: string): { subject: string; text: string } {
  const words = OUTCOME_WORDS[outcome];
  const link = runLink(publicUrl, run.id);
  const lines = [
    `The job "${oneLine(run.job.name)}" ${words}.`,
    '',
    `Outcome:  ${words} (run status ${run.status}, attempt ${run.attempt} of ${run.maxAttempts})`,
    ...(run.startedAt ? [`Started:  ${run.startedAt.toISOString()}`] : []),
    ...(run.finishedAt ? [`Finished: ${run.finishedAt.toISOString()}`] : []),
    ...(run.errorMessage ? [`Error:    ${run.errorMessage}`] : []),
    ...(run.statusReason ? [`Reason:   ${run.statusReason}`] : []),
    ...(link ? ['', `See the run: ${link}`] : [`Run id:   ${run.id}`]),
    '',
    '-- ',
    "Sent by Sundial because this job's notification settings ask for it.",
  ];
  return { subject: oneLine(`[Sundial] ${run.job.name}: ${words}`).slice(0, 200), text: lines.join('\n') };
}
