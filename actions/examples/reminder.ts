/**
 * examples.reminder — a per-user reminder (the pattern of Kamihi's scheduling tutorial).
 *
 * Fills a message template for each user and logs what it would send; swap the `deliver` step for your mail or
 * chat client. It works both ways a job can run it:
 * - per user on: one run per user, `user` is that user;
 * - per user off: one run, `user` is null, and it reminds every user in `users`.
 *
 * The message is a template in the syntax every built-in action uses (@sundial/actions' parseTemplate):
 * {{firstName}}, {{name}}, {{email}}, {{attributes.NAME}}, {{run.scheduledFor}}… The older single-brace
 * {name}, {firstName} and {email} still work: jobs saved with them live in databases, jobs-as-code files and
 * integrators' scripts this file cannot rewrite. The chat channel needs the user attribute `chatId`; a user
 * without one is skipped with a warning, not a failure.
 */
import {
  defineAction,
  parseTemplate,
  renderTemplate,
  runTemplateFields,
  templateString,
  userTemplateValues,
  z,
  type ActionUser,
  type ParseTemplateOptions,
} from '@sundial/actions';

/** The single-brace placeholders this action understood before it used the shared syntax. */
const TEMPLATE_OPTIONS: ParseTemplateOptions = { singleBraceFields: ['name', 'firstName', 'email'] };

const args = z.object({
  message: templateString(TEMPLATE_OPTIONS)
    .trim()
    .min(1, { error: 'write the reminder text, e.g. "Hi {{firstName}}, the report is due today"' })
    .max(2000)
    .describe('Reminder text; {{firstName}}, {{name}}, {{email}} and {{attributes.NAME}} are replaced for each user'),
  channel: z.enum(['email', 'chat']).default('email').describe('Where to send it'),
});

interface Delivery {
  userId: string;
  channel: 'email' | 'chat';
  to: string;
  text: string;
}

/** Where the reminder goes on this channel, or null when the user has no address for it. */
function addressOf(user: ActionUser, channel: 'email' | 'chat'): string | null {
  if (channel === 'email') return user.email;
  const chatId = user.attributes.chatId;
  return typeof chatId === 'string' || typeof chatId === 'number' ? String(chatId) : null;
}

export default defineAction({
  name: 'examples.reminder',
  description: 'Sends each targeted user a reminder built from a template with their name (logs what it would send).',
  args,
  defaults: { timeoutMs: 60_000, retries: 2, retryBackoffMs: 5_000, concurrency: 10 },
  run({ args, user, users, log, signal, progress, run, since }) {
    const template = parseTemplate(args.message, TEMPLATE_OPTIONS);
    const runFields = runTemplateFields({ run, since });
    const recipients = user ? [user] : users;
    if (recipients.length === 0) {
      log.warn('no users to remind: target users or roles in the job');
      return { channel: args.channel, sent: [], skipped: [] };
    }
    const sent: Delivery[] = [];
    const skipped: { userId: string; reason: string }[] = [];
    for (const [index, recipient] of recipients.entries()) {
      // A cancelled run stops between users rather than after everyone was reminded.
      signal.throwIfAborted();
      const to = addressOf(recipient, args.channel);
      if (to === null) {
        log.warn(`skipped ${recipient.name}: no chatId attribute`, { userId: recipient.id });
        skipped.push({ userId: recipient.id, reason: 'no chatId attribute' });
      } else {
        const { text, missing } = renderTemplate(template, userTemplateValues(recipient, runFields));
        for (const attribute of missing) log.warn(`${recipient.name} has no attribute "${attribute}": rendered empty`, { userId: recipient.id });
        const delivery: Delivery = { userId: recipient.id, channel: args.channel, to, text };
        log.info(`would send to ${recipient.name} by ${args.channel}`, { to, text: delivery.text });
        sent.push(delivery);
      }
      progress(index + 1, recipients.length);
    }
    return { channel: args.channel, sent, skipped };
  },
});
