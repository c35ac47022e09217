// Backfill: a preview of a job's slots over a past range (which schedule, when, how many), starting one BACKFILL run
// per slot, and cancelling a backfill as a whole. A run names its schedule and backfill (Run.schedule, Run.backfill).
import type { JobSchedule } from '../../db/prisma.js';
import { MAX_BACKFILL_SLOTS } from '../../services/backfills.js';
import { builder } from '../builder.js';
import { clamp, DOMAIN_ERRORS, RunStatusEnum } from './common.js';
import { JobScheduleRef, scheduleTitle } from './schedule.js';
import { ACTIVE_STATUSES } from '../../services/run-status.js';

export const BackfillRef = builder.prismaObject('Backfill', {
  description: "Runs of a job's slots over a past date range, started together and cancellable as a whole.",
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    job: t.relation('job'),
    rangeStart: t.expose('rangeStart', { type: 'DateTime', description: 'The range whose slots it runs (inclusive).' }),
    rangeEnd: t.expose('rangeEnd', { type: 'DateTime', description: 'Inclusive.' }),
    slotCount: t.exposeInt('slotCount', { description: 'How many slots, one run each.' }),
    startedBy: t.relation('startedBy', { nullable: true }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true, description: 'When it was cancelled as a whole.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    activeRunCount: t.relationCount('runs', { description: 'Its runs still queued, running or cancelling.', where: { status: { in: [...ACTIVE_STATUSES] } } }),
    runs: t.relatedConnection('runs', {
      cursor: 'id',
      totalCount: true,
      description: 'Its runs in slot order.',
      args: { status: t.arg({ type: [RunStatusEnum], required: false }) },
      query: (args) => ({
        where: args.status?.length ? { status: { in: args.status } } : {},
        orderBy: [{ scheduledFor: 'asc' }, { id: 'asc' }],
      }),
    }),
  }),
});

builder.prismaObjectField('Job', 'backfills', (t) =>
  t.relation('backfills', {
    description: "The job's backfills, newest first.",
    args: { first: t.arg.int({ required: false, defaultValue: 10, description: '1–100' }) },
    query: (args) => ({ take: clamp(args.first, 10, 1, 100), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
);

builder.prismaObjectFields('Run', (t) => ({
  schedule: t.relation('schedule', { nullable: true, description: 'The schedule whose slot made this run (SCHEDULE and BACKFILL runs); null once it is deleted.' }),
  backfill: t.relation('backfill', { nullable: true, description: 'The backfill that made this run.' }),
}));

interface PreviewSlot {
  at: Date;
  schedule: JobSchedule;
}

const BackfillSlotRef = builder.objectRef<PreviewSlot>('BackfillSlot').implement({
  description: 'One past slot a backfill would run, and its schedule.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    schedule: t.field({ type: JobScheduleRef, resolve: (slot) => slot.schedule }),
    scheduleTitle: t.string({ description: "The schedule's label, else its description.", resolve: (slot) => scheduleTitle(slot.schedule) }),
  }),
});

const BackfillPreviewRef = builder.objectRef<{ slots: PreviewSlot[]; count: number; more: boolean }>('BackfillPreview').implement({
  description: `The slots a backfill of this range would run, earliest first: at most ${MAX_BACKFILL_SLOTS}.`,
  fields: (t) => ({
    count: t.exposeInt('count', { description: `How many slots (at most ${MAX_BACKFILL_SLOTS}).` }),
    more: t.exposeBoolean('more', { description: `The range holds more than ${MAX_BACKFILL_SLOTS} slots: starting it is refused; choose a shorter range.` }),
    maxSlots: t.int({ description: 'The most slots one backfill may run.', resolve: () => MAX_BACKFILL_SLOTS }),
    slots: t.field({
      type: [BackfillSlotRef],
      args: { first: t.arg.int({ required: false, defaultValue: 100, description: `How many of the slots to list (1–${MAX_BACKFILL_SLOTS}).` }) },
      resolve: (preview, { first }) => preview.slots.slice(0, clamp(first, 100, 1, MAX_BACKFILL_SLOTS)),
    }),
  }),
});

const BackfillRangeInput = builder.inputType('BackfillInput', {
  description: "A job and a past range: the job's slots within it (both ends inclusive) are run once each.",
  fields: (t) => ({
    jobId: t.id(),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime', description: 'Not after now.' }),
    scheduleIds: t.idList({ required: false, description: "Only these of the job's schedules; default all." }),
  }),
});

const toRange = (input: { jobId: string | number; from: Date; to: Date; scheduleIds?: Array<string | number> | null }) => ({
  jobId: String(input.jobId),
  from: input.from,
  to: input.to,
  scheduleIds: input.scheduleIds?.map(String) ?? null,
});

builder.queryField('backfillPreview', (t) =>
  t.field({
    type: BackfillPreviewRef,
    authScopes: { permission: 'JOBS_READ' },
    description: 'The slots a backfill of this range would run and their count, before starting it. Refused inputs name their field.',
    args: { input: t.arg({ type: BackfillRangeInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'preview' } },
    resolve: (_root, { input }, context) => context.services.backfills.preview(toRange(input)),
  }),
);

const CancelBackfillResultRef = builder.objectRef<{ backfillId: string; cancelledRuns: number }>('CancelBackfillResult').implement({
  fields: (t) => ({
    backfill: t.field({
      type: BackfillRef,
      resolve: (result, _args, context) => context.prisma.backfill.findUniqueOrThrow({ where: { id: result.backfillId } }),
    }),
    cancelledRuns: t.exposeInt('cancelledRuns', { description: 'Runs cancelled, or asked to stop when running.' }),
  }),
});

builder.mutationFields((t) => ({
  startBackfill: t.field({
    type: BackfillRef,
    authScopes: { permission: 'RUNS_EXECUTE' },
    description: `Runs the job's slots in a past range: one BACKFILL run per slot (at most ${MAX_BACKFILL_SLOTS}), obeying its overlap policy.`,
    args: { input: t.arg({ type: BackfillRangeInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'backfill' } },
    resolve: async (_root, { input }, context) => (await context.services.backfills.start(toRange(input), context.identity?.userId ?? null)).backfill,
  }),
  cancelBackfill: t.field({
    type: CancelBackfillResultRef,
    authScopes: { permission: 'RUNS_EXECUTE' },
    description: 'Cancels every run of the backfill not yet finished (running ones are asked to stop).',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    resolve: async (_root, { id }, context) => {
      const { backfill, cancelled } = await context.services.backfills.cancel(String(id));
      return { backfillId: backfill.id, cancelledRuns: cancelled };
    },
  }),
}));
