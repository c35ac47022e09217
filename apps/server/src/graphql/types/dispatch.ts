// `dispatch`: one call for integrators, modelled on Ductape's dispatch(): action + args + when → a job and its
// status (QUEUED: runs now; SCHEDULED: later or recurring), the scheduled time and the next run.
import type { DispatchResult } from '../../services/dispatch.js';
import { ValidationError } from '../../services/errors.js';
import { builder } from '../builder.js';
import { DOMAIN_ERRORS } from './common.js';
import { JobRef } from './job.js';
import { RunRef } from './run.js';

const DispatchStatusEnum = builder.enumType('DispatchStatus', {
  description: 'QUEUED: a run was queued to start now. SCHEDULED: the job waits for its (first) fire time.',
  values: ['SCHEDULED', 'QUEUED'] as const,
});

const DispatchResultRef = builder.objectRef<DispatchResult>('DispatchResult').implement({
  fields: (t) => ({
    job: t.field({ type: JobRef, resolve: (result) => result.job }),
    run: t.field({ type: RunRef, nullable: true, description: 'The queued run when status is QUEUED.', resolve: (result) => result.run }),
    status: t.field({ type: DispatchStatusEnum, resolve: (result) => result.status }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', description: 'When the (first) run is due.' }),
    recurring: t.exposeBoolean('recurring'),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true, description: "The job's next fire time, if it has one." }),
  }),
});

const DispatchInput = builder.inputType('DispatchInput', {
  description:
    'Ductape-style: omit startAt, cron and everySeconds to run now; give startAt to run once later; give cron or ' +
    'everySeconds (with optional startAt, endDate, limit, tz) to recur. Errors name these fields.',
  fields: (t) => ({
    action: t.string(),
    args: t.field({ type: 'JSON', required: false, description: "A JSON object, validated against the action's schema." }),
    name: t.string({ required: false, description: "The job's name; default the action's name." }),
    description: t.string({ required: false }),
    title: t.string({ required: false, description: 'Title of the run when it runs now.' }),
    startAt: t.field({ type: 'DateTime', required: false, description: 'Start time (Ductape start_at); absent or past: now.' }),
    cron: t.string({ required: false, description: 'Cron expression (5 or 6 fields) for a recurring job.' }),
    everySeconds: t.int({ required: false, description: "Interval of a recurring job, in seconds (Ductape's `every` is in ms)." }),
    limit: t.int({ required: false, description: 'At most this many runs.' }),
    endDate: t.field({ type: 'DateTime', required: false, description: 'No runs after this time.' }),
    tz: t.string({ required: false, description: 'IANA timezone the cron is read in; default UTC.' }),
    retries: t.int({ required: false, description: "Attempts after a failure; default: the action's." }),
    targetUserIds: t.idList({ required: false }),
    targetRoleIds: t.idList({ required: false }),
    perUser: t.boolean({ required: false }),
  }),
});

builder.mutationField('dispatch', (t) =>
  t.field({
    type: DispatchResultRef,
    // It creates a job and may start a run: both permissions.
    authScopes: { $all: { permission: 'JOBS_WRITE', $all: { permission: 'RUNS_EXECUTE' } } },
    description: 'Creates a job for an action and runs it now, later, or on a recurring schedule: one call.',
    args: { input: t.arg({ type: DispatchInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    resolve: (_root, { input }, context) => {
      if (input.args != null && (typeof input.args !== 'object' || Array.isArray(input.args))) {
        throw new ValidationError([{ field: 'args', message: 'must be a JSON object, e.g. {"message": "hello"}' }]);
      }
      return context.services.dispatch.dispatch(
        {
          ...input,
          args: (input.args ?? undefined) as Record<string, unknown> | undefined,
          targetUserIds: input.targetUserIds?.map(String),
          targetRoleIds: input.targetRoleIds?.map(String),
          perUser: input.perUser ?? undefined,
        },
        context.identity?.userId ?? null,
      );
    },
  }),
);
