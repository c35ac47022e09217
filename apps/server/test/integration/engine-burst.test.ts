// A burst of run now on a busy worker ends on wake-ups alone: a run queued while every slot is taken wakes the worker,
// and a claim that fills every free slot is followed by another as slots free up, until one comes back short. The
// poll (scheduler.process_every_ms) here comes once a minute, after every run has started unless one waited for it.
import { defineAction } from '@sundial/actions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAST_ENGINE, startTestEngine, waitFor, type TestEngine } from '../support/engine.js';

const actions = [defineAction({ name: 'test.quick', description: 'Returns at once.', run: () => ({ ok: true }) })];
const RUNS = 3000;
/** Callers starting runs, each as soon as its last one is queued. */
const PRODUCERS = 8;

/** The longest poll interval the configuration allows. */
const POLL_MS = 60_000;

let t: TestEngine;
/** No poll comes before this time: the engine started after it was taken. */
let firstPollNotBefore = 0;

beforeAll(async () => {
  firstPollNotBefore = Date.now() + POLL_MS;
  t = await startTestEngine(actions, {
    ...FAST_ENGINE,
    jobs: { ...FAST_ENGINE.jobs, concurrency: 50 },
    scheduler: { ...FAST_ENGINE.scheduler, process_every_ms: POLL_MS },
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it(`${RUNS} runs started now by ${PRODUCERS} callers on a 50-slot worker (here while a slot is free, claimed from the runs table otherwise) all start before the first poll`, async () => {
  const job = await t.engine.jobs.create({ name: 'burst', action: 'test.quick', overlapPolicy: 'ALLOW', retries: 0 });
  let started = 0;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (started < RUNS) {
        started += 1;
        await t.engine.runs.start(job.id, { trigger: 'API' });
      }
    }),
  );
  await waitFor(
    async () => (await t.prisma.run.count({ where: { jobId: job.id, status: 'SUCCEEDED' } })) === RUNS,
    180_000,
    `all ${RUNS} runs to succeed`,
  );
  expect(await t.prisma.run.count({ where: { jobId: job.id } })).toBe(RUNS);
  const { _max } = await t.prisma.run.aggregate({ where: { jobId: job.id }, _max: { startedAt: true } });
  // A run that started only after the first poll may have waited for it.
  expect(_max.startedAt!.getTime(), 'the last run started after the first poll').toBeLessThan(firstPollNotBefore);
}, 240_000);
