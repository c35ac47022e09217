// Every queued run keeps a place in the queue (a run in an entry, or one handed to this process directly) while
// claims take the best runs, whichever entry named them: a burst of run now on a busy worker ends without the
// repair pass, which here runs only every ten minutes, so a run left without a place would wait past the timeout.
import { defineAction } from '@sundial/actions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAST_ENGINE, startTestEngine, waitFor, type TestEngine } from '../support/engine.js';

const actions = [defineAction({ name: 'test.quick', description: 'Returns at once.', run: () => ({ ok: true }) })];
const RUNS = 5000;
/** Callers starting runs, each as soon as its last one is queued. */
const PRODUCERS = 8;

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(actions, {
    ...FAST_ENGINE,
    // The repair pass runs every stale_after_ms: ten minutes, so the runs end without it or the test times out.
    jobs: { ...FAST_ENGINE.jobs, concurrency: 50, stale_after_ms: 600_000 },
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it(`${RUNS} runs started now by 8 callers on a 50-slot worker (here while a slot is free, through the queue otherwise) all end without the repair pass`, async () => {
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
}, 240_000);
