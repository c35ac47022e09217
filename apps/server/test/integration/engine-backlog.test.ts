// A worker whose slots free up with no queue entry waiting claims queued runs straight from the queue while the last
// claim came back full: runs whose entries another worker holds (here: runs with no entry at all) do not wait for
// that worker. The repair pass runs only every ten minutes, so the runs end through the backlog claims or the test
// times out.
import { defineAction } from '@sundial/actions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunEntry } from '../../src/engine/execution.js';
import { FAST_ENGINE, startTestEngine, waitFor, type TestEngine } from '../support/engine.js';

const actions = [defineAction({ name: 'test.quick', description: 'Returns at once.', run: () => ({ ok: true }) })];
const SLOTS = 4;
const RUNS = 40;

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(actions, { ...FAST_ENGINE, jobs: { ...FAST_ENGINE.jobs, concurrency: SLOTS, stale_after_ms: 600_000 } });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it(`one entry of ${SLOTS} runs on a ${SLOTS}-slot worker: the ${RUNS - SLOTS} queued runs no entry names end too, no run twice`, async () => {
  const job = await t.engine.jobs.create({ name: 'backlog', action: 'test.quick', overlapPolicy: 'ALLOW', retries: 0 });
  const runs = await t.engine.run.creation.insert(
    Array.from({ length: RUNS }, () => ({ jobId: job.id, trigger: 'API' as const, args: {}, since: null, maxAttempts: 1 })),
  );
  const entries: RunEntry[] = runs.slice(0, SLOTS).map((run) => ({ runId: run!.id, attempt: 1, jobId: job.id, queue: run!.queue }));
  await t.engine.executor.executeEntries(entries);
  await waitFor(
    async () => (await t.prisma.run.count({ where: { jobId: job.id, status: 'SUCCEEDED' } })) === RUNS,
    60_000,
    `all ${RUNS} runs to succeed`,
  );
  const ran = await t.prisma.run.findMany({ where: { jobId: job.id }, select: { attempt: true, workerId: true } });
  expect(ran).toHaveLength(RUNS);
  expect(ran.every((run) => run.attempt === 1 && run.workerId !== null)).toBe(true);
}, 120_000);
