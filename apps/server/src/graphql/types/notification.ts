// Job notifications in the API: the outcomes a job can notify about, and the deliveries its runs made (so the
// job page can show what was sent, what is being retried and why something failed).
import type { NotificationChannel, NotificationOutcome, NotificationStatus } from '../../db/prisma.js';
import { NOTIFICATION_OUTCOMES } from '../../services/notifications/settings.js';
import { builder } from '../builder.js';

export const NotificationOutcomeEnum = builder.enumType('NotificationOutcome', {
  description:
    'A run outcome a job can notify about. RECOVERED: a succeeded run whose previous finished run did not succeed ' +
    '(when a job asks for both SUCCEEDED and RECOVERED, such a run notifies once, as RECOVERED).',
  values: NOTIFICATION_OUTCOMES satisfies readonly NotificationOutcome[],
});

export const NotificationChannelEnum = builder.enumType('NotificationChannel', {
  values: ['EMAIL', 'WEBHOOK'] as const satisfies readonly NotificationChannel[],
});

export const NotificationStatusEnum = builder.enumType('NotificationStatus', {
  description: 'PENDING: not sent yet (first attempt due, or retrying with backoff); SENT; FAILED: given up.',
  values: ['PENDING', 'SENT', 'FAILED'] as const satisfies readonly NotificationStatus[],
});

export const NotificationDeliveryRef = builder.prismaObject('NotificationDelivery', {
  description: 'One notification about one run to one recipient (an e-mail address or a webhook URL).',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    channel: t.expose('channel', { type: NotificationChannelEnum }),
    recipient: t.exposeString('recipient', { description: 'The e-mail address or the webhook URL.' }),
    outcome: t.expose('outcome', { type: NotificationOutcomeEnum }),
    status: t.expose('status', { type: NotificationStatusEnum }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made so far (at most notifications.max_attempts).' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due; null once sent or given up.',
      resolve: (delivery) => (delivery.status === 'PENDING' ? delivery.nextAttemptAt : null),
    }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the latest attempt failed; null once sent.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    run: t.relation('run'),
  }),
});
