// Chains on a real engine: a run's ending starts its job's follow-ups with args mapped from the ended run; each
// outcome picks its own follow-ups; a mapping that finds nothing, a disabled job and the depth limit are recorded as
// runs saying why; cycles and bad mappings are refused at save naming the field, with nothing changed; a per-user
// parent chains once with its roll-up.
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/services/errors.js';
import { startTestEngine, statusIs, waitFor, type TestEngine } from '../support/engine.js';

const actions = [
  defineAction({
    name: 'chain.produce',
    description: 'Returns a report of how many rows it made, or fails when asked.',
    args: z.object({ rows: z.number().int().default(3), fail: z.boolean().default(false) }),
    run: ({ args }) => {
      if (args.fail) throw new Error('asked to fail');
      return { report: { count: args.rows, name: `batch-${args.rows}` } };
    },
  }),
  defineAction({
    name: 'chain.consume',
    description: 'Echoes its args.',
    args: z.object({ count: z.number().int(), label: z.string().default('none'), mode: z.enum(['fast', 'full']).default('fast') }),
    run: ({ args }) => ({ got: args }),
  }),
  defineAction({
    name: 'chain.wait',
    description: 'Waits for its signal.',
    run: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
  }),
  defineAction({ name: 'chain.noop', description: 'Does nothing.', run: () => ({ ok: true }) }),
];

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine(actions);
});
afterAll(async () => {
  await t?.close();
});

const fieldsOf = (error: unknown) => (error instanceof ValidationError ? error.errors.map((e) => e.field) : []);
const followUpsOf = (runId: string) => t.prisma.run.findMany({ where: { causedByRunId: runId }, orderBy: { createdAt: 'asc' } });

describe('follow-ups start when a run ends', () => {
  it('maps path, literal and template args into the follow-up, and records its lineage', async () => {
    const consume = await t.engine.jobs.create({ name: 'consume', action: 'chain.consume', args: { count: 0 } });
    const produce = await t.engine.jobs.create({
      name: 'produce',
      action: 'chain.produce',
      args: { rows: 7 },
      followUps: [
        {
          jobId: consume.id,
          on: 'SUCCEEDED',
          args: [
            { arg: 'count', path: '$.output.report.count' },
            { arg: 'mode', value: 'full' },
            { arg: 'label', template: '{{ $.output.report.name }} of {{ $.args.rows }} rows' },
          ],
        },
      ],
    });
    const run = await t.waitForRun((await t.engine.runs.start(produce.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('SUCCEEDED');
    const [followUp] = await followUpsOf(run.id);
    expect(followUp).toMatchObject({ jobId: consume.id, trigger: 'CHAIN', chainDepth: 1, causedByRunId: run.id });
    const done = await t.waitForRun(followUp!.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ got: { count: 7, mode: 'full', label: 'batch-7 of 7 rows' } });
  });

  it('starts only the follow-ups for the outcome, FAILED and ANY on a failure', async () => {
    const onSuccess = await t.engine.jobs.create({ name: 'on success', action: 'chain.noop' });
    const onFailure = await t.engine.jobs.create({ name: 'on failure', action: 'chain.noop' });
    const always = await t.engine.jobs.create({ name: 'always', action: 'chain.noop' });
    const source = await t.engine.jobs.create({
      name: 'fails',
      action: 'chain.produce',
      args: { fail: true },
      followUps: [
        { jobId: onSuccess.id, on: 'SUCCEEDED' },
        { jobId: onFailure.id, on: 'FAILED' },
        { jobId: always.id, on: 'ANY' },
      ],
    });
    const run = await t.waitForRun((await t.engine.runs.start(source.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('FAILED');
    const started = await followUpsOf(run.id);
    expect(started.map((r) => r.jobId).sort()).toEqual([onFailure.id, always.id].sort());
  });

  it('starts CANCELLED follow-ups when a queued run is cancelled and when a running one is', async () => {
    const onCancel = await t.engine.jobs.create({ name: 'on cancel', action: 'chain.noop' });
    const source = await t.engine.jobs.create({ name: 'waits', action: 'chain.wait', followUps: [{ jobId: onCancel.id, on: 'CANCELLED' }] });
    const running = await t.engine.runs.start(source.id, { trigger: 'MANUAL' });
    await t.waitForRun(running.id, statusIs('RUNNING'));
    await t.engine.runs.cancel(running.id);
    expect((await t.waitForRun(running.id)).status).toBe('CANCELLED');
    const [followUp] = await waitFor(async () => {
      const rows = await followUpsOf(running.id);
      return rows.length > 0 ? rows : null;
    });
    expect(followUp!.jobId).toBe(onCancel.id);
    expect((await t.waitForRun(followUp!.id)).status).toBe('SUCCEEDED');
    expect(await followUpsOf(running.id)).toHaveLength(1);
  });

  it('gives the follow-up a FAILED run naming the arg and path when the path finds nothing', async () => {
    const consume = await t.engine.jobs.create({ name: 'consume missing', action: 'chain.consume', args: { count: 1 } });
    const produce = await t.engine.jobs.create({
      name: 'produce missing',
      action: 'chain.produce',
      followUps: [{ jobId: consume.id, on: 'ANY', args: [{ arg: 'count', path: '$.output.report.total' }] }],
    });
    const run = await t.waitForRun((await t.engine.runs.start(produce.id, { trigger: 'MANUAL' })).id);
    const [followUp] = await followUpsOf(run.id);
    expect(followUp!.status).toBe('FAILED');
    expect(followUp!.statusReason).toBe('follow-up args: count: $.output.report.total matched nothing in the ending run');
    expect(followUp!.finishedAt).not.toBeNull();
  });

  it('fails the follow-up before it starts when the mapped args do not fit its action, naming the field', async () => {
    const consume = await t.engine.jobs.create({ name: 'consume typed', action: 'chain.consume', args: { count: 1 } });
    const produce = await t.engine.jobs.create({
      name: 'produce text',
      action: 'chain.produce',
      followUps: [{ jobId: consume.id, on: 'SUCCEEDED', args: [{ arg: 'count', path: '$.output.report.name' }] }],
    });
    const run = await t.waitForRun((await t.engine.runs.start(produce.id, { trigger: 'MANUAL' })).id);
    const [followUp] = await followUpsOf(run.id);
    const done = await t.waitForRun(followUp!.id);
    expect(done.status).toBe('FAILED');
    expect(done.errorMessage).toContain('count');
  });

  it('records a follow-up of a disabled job as skipped', async () => {
    const paused = await t.engine.jobs.create({ name: 'paused', action: 'chain.noop', enabled: false });
    const source = await t.engine.jobs.create({ name: 'to paused', action: 'chain.noop', followUps: [{ jobId: paused.id, on: 'ANY' }] });
    const run = await t.waitForRun((await t.engine.runs.start(source.id, { trigger: 'MANUAL' })).id);
    const [followUp] = await followUpsOf(run.id);
    expect(followUp).toMatchObject({ status: 'SKIPPED', statusReason: 'the job is disabled' });
  });

  it('chains a per-user parent once, after its roll-up, with the roll-up status', async () => {
    const users = await Promise.all(['a', 'b', 'c'].map((name) => t.prisma.user.create({ data: { email: `${name}-chain@example.com`, name } })));
    const after = await t.engine.jobs.create({ name: 'after roll-up', action: 'chain.noop' });
    const perUser = await t.engine.jobs.create({
      name: 'per user',
      action: 'chain.noop',
      perUser: true,
      targetUserIds: users.map((user) => user.id),
      followUps: [{ jobId: after.id, on: 'SUCCEEDED' }],
    });
    const parent = await t.waitForRun((await t.engine.runs.start(perUser.id, { trigger: 'MANUAL' })).id);
    expect(parent.status).toBe('SUCCEEDED');
    expect(parent.childrenSucceeded).toBe(3);
    const started = await t.prisma.run.findMany({ where: { jobId: after.id } });
    expect(started).toHaveLength(1);
    expect(started[0]!.causedByRunId).toBe(parent.id);
  });
});

describe('saving follow-ups', () => {
  it('refuses a cycle through several jobs, naming the path, and changes nothing', async () => {
    const c = await t.engine.jobs.create({ name: 'C', action: 'chain.noop' });
    const b = await t.engine.jobs.create({ name: 'B', action: 'chain.noop', followUps: [{ jobId: c.id, on: 'ANY' }] });
    const a = await t.engine.jobs.create({ name: 'A', action: 'chain.noop', followUps: [{ jobId: b.id, on: 'SUCCEEDED' }] });
    const refused = await t.engine.jobs.update(c.id, { name: 'C renamed', followUps: [{ jobId: a.id, on: 'FAILED' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([
      { field: 'followUps[0].jobId', message: 'would make a cycle: C renamed → A → B → C renamed; a chain may not come back to a job it started from' },
    ]);
    expect((await t.engine.jobs.get(c.id)).name).toBe('C');
    expect(await t.prisma.jobFollowUp.count({ where: { jobId: c.id } })).toBe(0);

    const self = await t.engine.jobs.update(a.id, { followUps: [{ jobId: a.id, on: 'ANY' }] }).catch((error: unknown) => error);
    expect(fieldsOf(self)).toEqual(['followUps[0].jobId']);
  });

  it('refuses bad mappings field by field: unknown arg, bad path, invalid literal, template into a number, unknown job', async () => {
    const consume = await t.engine.jobs.create({ name: 'consume checks', action: 'chain.consume', args: { count: 1 } });
    const before = await t.prisma.job.count();
    const refused = await t.engine.jobs
      .create({
        name: 'bad mappings',
        action: 'chain.noop',
        followUps: [
          {
            jobId: consume.id,
            on: 'SUCCEEDED',
            args: [
              { arg: 'colour', value: 'red' },
              { arg: 'count', path: '$.output.(' },
              { arg: 'mode', value: 'slow' },
              { arg: 'count', template: 'n={{ $.output.n }}' },
            ],
          },
          { jobId: '0190a6b4-0000-7000-8000-000000000000', on: 'ANY' },
        ],
      })
      .catch((error: unknown) => error);
    expect(fieldsOf(refused)).toEqual([
      'followUps[0].args[0].arg',
      'followUps[0].args[1].path',
      'followUps[0].args[3].template',
      'followUps[0].args[2].value',
      'followUps[1].jobId',
    ]);
    expect(await t.prisma.job.count()).toBe(before);

    const shape = await t.engine.jobs
      .create({ name: 'bad shape', action: 'chain.noop', followUps: [{ jobId: consume.id, on: 'SOMETIMES' as 'ANY', args: [{ arg: 'count', path: 'output.count', value: 1 }] }] })
      .catch((error: unknown) => error);
    expect(fieldsOf(shape)).toEqual(['followUps[0].on', 'followUps[0].args[0].path', 'followUps[0].args[0]']);
  });
});
