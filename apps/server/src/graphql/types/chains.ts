// Chains in the API: a job's follow-ups ("when a run of this job ends as <on>, start job B", with B's args mapped
// from the ended run), the input createJob and updateJob take for them, and each run's lineage (what caused it,
// what it started). The rules are services/chains.ts's; the engine starts the follow-ups.
import { followUpOns } from '@sundial/job-schema';
import type { FollowUpOn } from '../../db/prisma.js';
import { mappingToInput } from '../../services/chains.js';
import { builder } from '../builder.js';

export const FollowUpOnEnum = builder.enumType('FollowUpOn', {
  description:
    'Which endings of a top-level run start a follow-up. FAILED also covers INTERRUPTED (the worker was lost, no attempt left); ' +
    'ANY: every ending but SKIPPED. A per-user run counts once, with its roll-up status.',
  values: followUpOns satisfies readonly FollowUpOn[],
});

interface FollowUpArgShape {
  arg: string;
  path?: string;
  value?: unknown;
  template?: string;
}

const FollowUpArgRef = builder.objectRef<FollowUpArgShape>('FollowUpArg').implement({
  description: "One arg of the follow-up's run, taken from the ended run; exactly one of path, value, template is set.",
  fields: (t) => ({
    arg: t.exposeString('arg', { description: "The arg's name in the follow-up job's action." }),
    path: t.string({ nullable: true, resolve: (entry) => entry.path ?? null, description: 'A JSON path over {output, args, run} of the ended run, e.g. $.output.count.' }),
    value: t.field({ type: 'JSON', nullable: true, resolve: (entry) => ('value' in entry ? (entry.value as never) : null), description: 'A literal value.' }),
    template: t.string({ nullable: true, resolve: (entry) => entry.template ?? null, description: 'Text with {{ path }} holes, e.g. "rows: {{ $.output.count }}".' }),
  }),
});

export const JobFollowUpRef = builder.prismaObject('JobFollowUp', {
  description: 'When a run of `source` ends as `on`, a run of `job` starts (trigger CHAIN), its args overridden by `args`.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    source: t.relation('job', { description: 'The job whose runs start this follow-up.' }),
    job: t.relation('followUpJob', { description: 'The job the follow-up starts.' }),
    on: t.expose('on', { type: FollowUpOnEnum }),
    args: t.field({ type: [FollowUpArgRef], resolve: (followUp) => mappingToInput(followUp.argsMapping) }),
  }),
});

export const FollowUpArgInputRef = builder.inputType('FollowUpArgInput', {
  description: 'One arg of the follow-up\'s run: exactly one of path, value, template.',
  fields: (t) => ({
    arg: t.string({ description: "The arg's name in the follow-up job's action." }),
    path: t.string({ required: false, description: 'A JSON path (PostgreSQL SQL/JSON, lax) over {output, args, run} of the ended run.' }),
    value: t.field({ type: 'JSON', required: false, description: 'A literal value (validated against the action when saved).' }),
    template: t.string({ required: false, description: 'Text with {{ path }} holes; only for text args.' }),
  }),
});

export const FollowUpInputRef = builder.inputType('FollowUpInput', {
  description: 'Start the job `jobId` when a run of this job ends as `on`. Cycles are refused, naming the path.',
  fields: (t) => ({
    jobId: t.id(),
    on: t.field({ type: FollowUpOnEnum }),
    args: t.field({ type: [FollowUpArgInputRef], required: false, description: "Overrides of the follow-up job's args, key by key." }),
  }),
});

type FollowUpInputShape = { jobId: string | number; on: FollowUpOn; args?: Array<{ arg: string; path?: string | null; value?: unknown; template?: string | null }> | null };

/** GraphQL input → the schema's follow-ups: ids as text, absent and null alike left out. */
export function toFollowUps(input: readonly FollowUpInputShape[]) {
  return input.map((followUp) => ({
    jobId: String(followUp.jobId),
    on: followUp.on,
    args: (followUp.args ?? []).map((entry) => ({
      arg: entry.arg,
      ...(entry.path != null ? { path: entry.path } : {}),
      ...(entry.value !== undefined && entry.value !== null ? { value: entry.value } : {}),
      ...(entry.template != null ? { template: entry.template } : {}),
    })),
  }));
}

builder.prismaObjectFields('Job', (t) => ({
  followUps: t.relation('followUps', {
    description: 'Jobs started when a run of this job ends (chains), in order.',
    query: { orderBy: { position: 'asc' } },
  }),
  followUpOf: t.relation('followUpOf', { description: 'Follow-ups of other jobs that start this job.' }),
}));

builder.prismaObjectFields('Run', (t) => ({
  causedByRun: t.relation('causedByRun', { nullable: true, description: 'CHAIN runs: the run whose ending started this one (run X of job A).' }),
  followUp: t.relation('followUp', { nullable: true, description: 'CHAIN runs: the follow-up that started this one (null once it is removed).' }),
  chainDepth: t.exposeInt('chainDepth', { description: 'How many follow-ups led to this run (0: not a follow-up).' }),
  startedRuns: t.relation('started', {
    description: "The follow-up runs this run's ending started, in the order they were created.",
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  }),
}));
