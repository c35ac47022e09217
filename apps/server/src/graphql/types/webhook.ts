// A job's inbound webhook in the API: its address, switch, secret rotation (the secret is in the mutation's answer
// only) and its last deliveries. Requests to the hook itself are HTTP (POST /hooks/<id>), not GraphQL.
import { builder } from '../builder.js';
import { DOMAIN_ERRORS, isUuid } from './common.js';

const MAX_DELIVERIES = 50;

export const WebhookDeliveryRef = builder.prismaObject('WebhookDelivery', {
  description: "One authenticated request to a job's webhook, or one a known hook refused, and how it was answered.",
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    status: t.exposeInt('status', { description: 'The HTTP status answered: 202 accepted, 400, 401, 413 or 422 refused.' }),
    accepted: t.boolean({ description: 'Whether it started a run (202).', resolve: (delivery) => delivery.status === 202 }),
    error: t.exposeString('error', { nullable: true, description: 'Why it was refused; null when accepted.' }),
    runId: t.exposeID('runId', { nullable: true, description: 'The run it started; null when refused, or once the run is deleted.' }),
    run: t.relation('run', { nullable: true }),
  }),
});

export const JobWebhookRef = builder.prismaObject('JobWebhook', {
  description:
    "A job's inbound webhook: POST to its path starts a run (trigger WEBHOOK) with the JSON body overriding the " +
    "job's args. The secret is shown only when enabling makes it and when it is rotated.",
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    enabled: t.exposeBoolean('enabled', { description: 'A disabled hook answers 404, like an unknown one.' }),
    path: t.string({ description: 'The path to POST to: /hooks/<public id>.', resolve: (hook, _args, context) => context.services.webhooks.addressOf(hook).path }),
    url: t.string({
      nullable: true,
      description: 'The absolute URL, when server.public_url is set; null otherwise (use path on the address you reach the server at).',
      resolve: (hook, _args, context) => context.services.webhooks.addressOf(hook).url,
    }),
    signaturesAccepted: t.boolean({
      description:
        'Whether signed requests (Sundial-Signature) can be checked: the server has webhooks.secret_key and sealed this secret with it. ' +
        'False: bearer requests only (rotate after setting the key).',
      resolve: (hook, _args, context) => context.services.webhooks.canCheckSignatures(hook),
    }),
    secretRotatedAt: t.expose('secretRotatedAt', { type: 'DateTime', description: 'When the current secret was made.' }),
    previousSecretValidUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until when the secret before the last rotation is still accepted; null when it no longer is.',
      resolve: (hook) => (hook.previousValidUntil && hook.previousValidUntil > new Date() ? hook.previousValidUntil : null),
    }),
    deliveries: t.prismaField({
      type: [WebhookDeliveryRef],
      description: `The last deliveries, newest first (at most ${MAX_DELIVERIES}).`,
      args: { last: t.arg.int({ required: false, defaultValue: 10, description: `1–${MAX_DELIVERIES}` }) },
      resolve: (query, hook, { last }, context) =>
        context.prisma.webhookDelivery.findMany({
          ...query,
          where: { jobId: hook.jobId },
          orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
          take: Math.min(MAX_DELIVERIES, Math.max(1, last ?? 10)),
        }),
    }),
  }),
});

const WebhookSecretRef = builder.objectRef<{ hook: { jobId: string }; secret: string | null }>('JobWebhookSecret').implement({
  description: 'A hook and, when this change made one, its new secret.',
  fields: (t) => ({
    webhook: t.prismaField({
      type: JobWebhookRef,
      resolve: (query, result, _args, context) => context.prisma.jobWebhook.findUniqueOrThrow({ ...query, where: { jobId: result.hook.jobId } }),
    }),
    secret: t.exposeString('secret', {
      nullable: true,
      description: 'The new secret, shown only in this answer (null when nothing made one). Send it as `Authorization: Bearer <secret>`, or sign with it.',
    }),
  }),
});

builder.queryField('jobWebhook', (t) =>
  t.prismaField({
    type: JobWebhookRef,
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    description: "The job's inbound webhook; null when the job has none (never enabled) or there is no such job.",
    args: { jobId: t.arg.id() },
    resolve: (query, _root, { jobId }, context) =>
      isUuid(String(jobId)) ? context.prisma.jobWebhook.findUnique({ ...query, where: { jobId: String(jobId) } }) : null,
  }),
);

builder.mutationFields((t) => ({
  enableJobWebhook: t.field({
    type: WebhookSecretRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: "Turns the job's webhook on. The first time, it is made with a secret, returned here only.",
    args: { jobId: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    resolve: (_root, { jobId }, context) => context.services.webhooks.enable(String(jobId)),
  }),
  disableJobWebhook: t.prismaField({
    type: JobWebhookRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: "Turns the job's webhook off: requests to it are answered 404. Its address and secret are kept.",
    args: { jobId: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'webhook' } },
    resolve: async (query, _root, { jobId }, context) => {
      const hook = await context.services.webhooks.disable(String(jobId));
      return context.prisma.jobWebhook.findUniqueOrThrow({ ...query, where: { jobId: hook.jobId } });
    },
  }),
  rotateJobWebhookSecret: t.field({
    type: WebhookSecretRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description:
      'A new secret for the hook, returned here only. The previous one is still accepted for webhooks.rotation_overlap_seconds, so senders can switch over.',
    args: { jobId: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    resolve: (_root, { jobId }, context) => context.services.webhooks.rotate(String(jobId)),
  }),
}));
