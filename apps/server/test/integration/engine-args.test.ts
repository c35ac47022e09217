// Args are checked again when a run starts, against the action's schema as it is then: a run whose stored args no
// longer fit fails at once (FAILED, no retry, the field named), never a crash; args that fit reach the action
// checked, defaults applied. Runs are created as a schedule's occurrence creates them: stored args, unvalidated.
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../src/db/prisma.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

const calls: Array<Record<string, unknown>> = [];

const actions = [
  defineAction({
    name: 'test.count',
    description: 'Counts to args.count; retried twice on failure.',
    args: z.object({ count: z.number().int(), label: z.string().default('items') }),
    defaults: { retries: 2, retryBackoffMs: 20 },
    run: ({ args }) => {
      calls.push(args);
      return { counted: args.count, label: args.label };
    },
  }),
];

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine(actions);
});
afterAll(() => t?.close());

/** A queued run with these stored args, made and executed as a schedule's occurrence would. */
async function runWithStoredArgs(args: Prisma.JsonValue, perUser = false) {
  const job = await t.engine.jobs.create({ name: `count ${calls.length} ${String(perUser)}`, action: 'test.count', args: { count: 1 }, perUser });
  const [run] = await t.engine.run.creation.insert([{ jobId: job.id, trigger: 'SCHEDULE', args, since: null, maxAttempts: 3 }]);
  t.engine.executor.wake();
  return t.waitForRun(run!.id);
}

describe('args checked when a run starts', () => {
  it('fails a run whose stored args no longer fit the action, at once and without retry, naming the field', async () => {
    const before = calls.length;
    const run = await runWithStoredArgs({ count: 'three' });
    expect(run.status).toBe('FAILED');
    expect(run.attempt).toBe(1);
    expect(run.maxAttempts).toBe(3);
    expect(run.errorMessage).toContain('args.count');
    expect(run.errorMessage).toContain('test.count');
    expect(run.finishedAt).not.toBeNull();
    expect(calls.length).toBe(before);
  });

  it('fails a per-user run with bad args before it creates any child', async () => {
    const run = await runWithStoredArgs({ label: 'no count' }, true);
    expect(run.status).toBe('FAILED');
    expect(run.errorMessage).toContain('args.count');
    expect(await t.prisma.run.count({ where: { parentRunId: run.id } })).toBe(0);
  });

  it('hands the action the checked args, defaults applied', async () => {
    const run = await runWithStoredArgs({ count: 4 });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ counted: 4, label: 'items' });
    expect(calls.at(-1)).toEqual({ count: 4, label: 'items' });
  });
});
