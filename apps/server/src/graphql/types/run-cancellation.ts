// Who cancelled a run and when, for the run page's "Cancelled by Ada at 09:14". Every mutation is audited
// (plugins/audit.ts), so the successful cancelRun event naming the run is the record; no column duplicates it.
import { builder } from '../builder.js';

interface RunCancellation {
  at: Date;
  byLabel: string;
  byName: string | null;
}

const RunCancellationRef = builder.objectRef<RunCancellation>('RunCancellation').implement({
  description: 'A cancel request made through the API or the admin app.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    by: t.string({
      description: "The user's name, else the e-mail or token name the audit log kept.",
      resolve: (cancellation) => cancellation.byName ?? cancellation.byLabel,
    }),
  }),
});

builder.prismaObjectField('Run', 'cancellation', (t) =>
  t.field({
    type: RunCancellationRef,
    nullable: true,
    description: 'Who asked to cancel this run, and when; null when nobody did (or the run was cancelled with its parent).',
    select: { id: true, status: true },
    resolve: async (run, _args, context) => {
      if (run.status !== 'CANCELLED' && run.status !== 'CANCELLING') return null;
      const event = await context.prisma.auditEvent.findFirst({
        where: { action: 'cancelRun', targetType: 'run', targetId: run.id, outcome: 'SUCCESS' },
        orderBy: { at: 'desc' },
        select: { at: true, actorLabel: true, actor: { select: { name: true } } },
      });
      return event ? { at: event.at, byLabel: event.actorLabel, byName: event.actor?.name ?? null } : null;
    },
  }),
);
