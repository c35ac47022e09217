// notify.users: a message rendered for each target user (their name, e-mail, attributes; the run) and delivered
// to their in-app inbox or to their own webhook URL — the Kamihi reminder pattern. Per user by nature: with
// per_user on, each child run notifies its one user (a failing user fails only their child run, and the run as a
// whole partially succeeds); with per_user off, one run notifies every target user and fails if any was missed.
import {
  defineAction,
  parseTemplate,
  renderTemplate,
  runTemplateFields,
  templateString,
  TEMPLATE_PLACEHOLDERS_HELP,
  userTemplateValues,
  z,
  type ActionContext,
  type ActionUser,
  type TemplateField,
  type TemplatePart,
} from '@sundial/actions';
import type { ResolveHost } from '../http/guarded-agent.js';
import { allowListProblems, createAddressPolicy } from '../http/policy.js';
import { createWebhookSender, shownWebhookUrl, webhookUrlOf, WebhookFailure, type WebhookSender } from './webhook.js';

export interface NotifyUsersSettings {
  /** Webhooks go through http.request's SSRF guard with its settings (builtin.http.allow_hosts, allow_private). */
  allowHosts: readonly string[];
  allowPrivate: boolean;
  resolve?: ResolveHost;
}

export const NOTIFY_CHANNELS = ['inbox', 'webhook'] as const;
// A subject up to 200 characters gets a one-line field in the job form; longer text gets a text area.
export const NOTIFY_LIMITS = { subject: 200, message: 10_000 } as const;
/** Failures listed one by one in an error message; the rest are counted. */
const FAILURES_SHOWN = 10;

const template = (max: number, what: string) =>
  templateString()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .describe(`${what}. ${TEMPLATE_PLACEHOLDERS_HELP}`);

const argsSchema = z
  .object({
    subject: template(NOTIFY_LIMITS.subject, 'Subject line (a template)'),
    message: template(NOTIFY_LIMITS.message, 'Message text (a template)'),
    channel: z.enum(NOTIFY_CHANNELS).default('inbox').describe("inbox: the user's in-app inbox; webhook: a JSON POST to the URL in the user's attribute."),
    webhookAttribute: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, { error: 'must be an attribute name (letters, digits, _ and -)' })
      .default('webhook_url')
      .describe('For channel webhook: the user attribute that holds the URL.'),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000).describe('For channel webhook: give up on one user after this many milliseconds.'),
  });

export type NotifyUsersArgs = z.output<typeof argsSchema>;

export interface NotifyUsersOutput {
  channel: (typeof NOTIFY_CHANNELS)[number];
  delivered: number;
  failed: number;
  /** Inbox message ids (inbox channel), in the order the users were notified. */
  messageIds: string[];
}

interface Compiled {
  subject: TemplatePart[];
  message: TemplatePart[];
}

export function createNotifyUsersAction(settings: NotifyUsersSettings) {
  const problems = allowListProblems(settings.allowHosts);
  if (problems.length > 0) throw new Error(`builtin.http.allow_hosts: ${problems.join('; ')}`);
  const policy = createAddressPolicy({ allowHosts: settings.allowHosts, allowPrivate: settings.allowPrivate });

  return defineAction({
    name: 'notify.users',
    description:
      "Renders a message for each target user (name, e-mail, attributes) and stores it in their in-app inbox or POSTs it " +
      "to their own webhook URL (an attribute). Best with per_user on: one child run per user.",
    args: argsSchema,
    defaults: { retries: 0 },
    async run(context: ActionContext<NotifyUsersArgs>): Promise<NotifyUsersOutput> {
      const { args } = context;
      const compiled: Compiled = { subject: parseTemplate(args.subject), message: parseTemplate(args.message) };
      const runFields = runTemplateFields(context);
      const users = context.user ? [context.user] : context.users;
      const output: NotifyUsersOutput = { channel: args.channel, delivered: 0, failed: 0, messageIds: [] };
      if (users.length === 0) {
        context.log.warn('the job targets no user: nothing to send');
        return output;
      }
      const sender =
        args.channel === 'webhook'
          ? createWebhookSender({ policy, timeoutMs: args.timeoutMs, ...(settings.resolve ? { resolve: settings.resolve } : {}) })
          : null;
      const failures: string[] = [];
      try {
        context.progress(0, users.length);
        for (const [index, user] of users.entries()) {
          context.signal.throwIfAborted();
          try {
            const messageId = await notifyOne(context, user, compiled, runFields, sender);
            output.delivered += 1;
            if (messageId) output.messageIds.push(messageId);
          } catch (error) {
            if (context.signal.aborted) throw context.signal.reason;
            output.failed += 1;
            const reason =
              error instanceof WebhookFailure
                ? error.message
                : `not stored in the inbox: ${error instanceof Error ? error.message : String(error)}`;
            failures.push(`${user.email}: ${reason}`);
            context.log.error(`${user.email}: ${reason}`, { userId: user.id });
          }
          context.progress(index + 1, users.length);
        }
      } finally {
        await sender?.close();
      }
      if (failures.length > 0) {
        const shown = failures.slice(0, FAILURES_SHOWN).join('; ');
        const more = failures.length > FAILURES_SHOWN ? `; and ${failures.length - FAILURES_SHOWN} more (see the log)` : '';
        throw new Error(
          users.length === 1 ? failures[0]! : `notified ${output.delivered} of ${users.length} users; ${failures.length} failed: ${shown}${more}`,
        );
      }
      context.log.info(`notified ${output.delivered} user(s) by ${args.channel}`);
      return output;
    },
  });
}

/** Renders and delivers one user's message; returns the inbox message id (inbox channel). */
async function notifyOne(
  context: ActionContext<NotifyUsersArgs>,
  user: ActionUser,
  compiled: Compiled,
  runFields: Partial<Record<TemplateField, string>>,
  sender: WebhookSender | null,
): Promise<string | null> {
  const values = userTemplateValues(user, runFields);
  const subject = renderTemplate(compiled.subject, values);
  const message = renderTemplate(compiled.message, values);
  for (const attribute of new Set([...subject.missing, ...message.missing])) {
    context.log.warn(`${user.email} has no attribute "${attribute}": {{attributes.${attribute}}} rendered empty`, { userId: user.id });
  }
  if (sender) {
    const url = webhookUrlOf(user.attributes[context.args.webhookAttribute], context.args.webhookAttribute);
    const status = await sender.send(
      url,
      {
        subject: subject.text,
        message: message.text,
        user: { id: user.id, email: user.email, name: user.name },
        run: { id: context.run.id, jobId: context.run.jobId },
      },
      context.signal,
    );
    context.log.info(`${user.email}: POST ${shownWebhookUrl(url)} answered ${status}`, { userId: user.id });
    return null;
  }
  const [id = null] = await context.sundial.inboxes.deliver([
    { userId: user.id, runId: context.run.id, jobId: context.run.jobId, subject: subject.text, body: message.text },
  ]);
  context.log.info(`${user.email}: stored in the inbox`, { userId: user.id, messageId: id });
  return id;
}
