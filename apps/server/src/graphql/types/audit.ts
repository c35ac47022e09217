// The audit log: who did what, from where, to what, with which outcome. Read-only: rows are append-only.
import type { Prisma } from '../../db/prisma.js';
import { builder } from '../builder.js';
import { isUuid } from './common.js';

const AuditOutcomeEnum = builder.enumType('AuditOutcome', { values: ['SUCCESS', 'FAILURE', 'DENIED'] as const });
const AuditActorKindEnum = builder.enumType('AuditActorKind', {
  description:
    'How the actor was identified: not signed in, a browser session, an API token; Sundial itself (SYSTEM: e.g. a paused job re-enabled at the time it was paused until); or, for definitions applied outside the API, `sundial import` on the command line (CLI) or sundial.yaml at start (CONFIGURATION), with the OS user and host.',
  values: ['ANONYMOUS', 'SESSION', 'TOKEN', 'SYSTEM', 'CLI', 'CONFIGURATION'] as const,
});

builder.prismaObject('AuditEvent', {
  description: 'One mutation as it was attempted: actor, address, operation, target and outcome. Secrets are redacted.',
  fields: (t) => ({
    id: t.id({ resolve: (event) => event.id.toString() }),
    at: t.expose('at', { type: 'DateTime' }),
    actorId: t.exposeString('actorId', { nullable: true, description: 'The acting user; null when deleted since or anonymous.' }),
    actorLabel: t.exposeString('actorLabel', {
      description: "The actor as shown: an e-mail, and an API token's name JSON-quoted. Display text only: rely on actorKind and actorTokenId.",
    }),
    actorKind: t.expose('actorKind', { type: AuditActorKindEnum, nullable: true, description: 'Null on events recorded before it was.' }),
    actorTokenId: t.exposeString('actorTokenId', { nullable: true, description: 'The API token that acted (actorKind TOKEN).' }),
    ip: t.exposeString('ip', { nullable: true }),
    action: t.exposeString('action', { description: 'The mutation, e.g. createJob.' }),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeString('targetId', { nullable: true }),
    outcome: t.expose('outcome', { type: AuditOutcomeEnum }),
    details: t.expose('details', { type: 'JSON', nullable: true }),
  }),
});

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    actorId: t.id({ required: false }),
    actor: t.string({ required: false, description: 'Part of the actor label, any case.' }),
    action: t.string({ required: false, description: 'The exact mutation name.' }),
    outcome: t.field({ type: AuditOutcomeEnum, required: false }),
    targetType: t.string({ required: false }),
    targetId: t.string({ required: false }),
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.prismaConnection({
    type: 'AuditEvent',
    cursor: 'id',
    maxSize: 200,
    authScopes: { permission: 'AUDIT_READ' },
    description: 'Audit events, newest first.',
    args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
    totalCount: (_connection, args, context) => context.prisma.auditEvent.count({ where: auditWhere(args.filter) }),
    resolve: (query, _root, args, context) =>
      context.prisma.auditEvent.findMany({ ...query, where: auditWhere(args.filter), orderBy: { id: 'desc' } }),
  }),
);

type Filter = {
  actorId?: string | number | null;
  actor?: string | null;
  action?: string | null;
  outcome?: 'SUCCESS' | 'FAILURE' | 'DENIED' | null;
  targetType?: string | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
};

function auditWhere(filter: Filter | null | undefined): Prisma.AuditEventWhereInput {
  if (!filter) return {};
  return {
    // An id that is not a uuid matches nothing (rather than failing the query).
    ...(filter.actorId != null ? (isUuid(String(filter.actorId)) ? { actorId: String(filter.actorId) } : { id: -1n }) : {}),
    ...(filter.actor ? { actorLabel: { contains: filter.actor, mode: 'insensitive' as const } } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
  };
}
