// A worker killed with SIGKILL the moment a run's ending is committed still yields exactly one follow-up run: the
// follow-up is inserted by the same statement as the ending (db/sql/runs/follow-ups.ts). As the notification
// outbox's test (failure-notify-sigkill.test.ts): this process watches the run's row and kills the worker as soon
// as the row shows the ending, before anything written after the commit could be; a second worker then finds the
// follow-up queued (the repair pass dispatches a run whose queue entry was never saved) and runs it, once.
//
// PostgreSQL only: observing another process's commit needs a database both processes reach, and the embedded
// database (PGlite) is open to one process at a time.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/services/run-status.js';
import { usingRealPostgres } from '../support/database.js';
import { describeRuns, until, workerSuite } from '../support/processes.js';

const ITERATIONS = 3;

const suite = workerSuite('sundial-chain-sigkill-');

describe.runIf(usingRealPostgres)('SIGKILL right after a run ends (PostgreSQL: the worker is a process)', () => {
  it(
    'leaves exactly one follow-up run, which another worker runs',
    async () => {
      const api = suite.api!;
      const prisma = api.database.prisma;
      for (let iteration = 1; iteration <= ITERATIONS; iteration += 1) {
        const file = (name: string) => path.join(suite.folder, `${name}-${iteration}.txt`);
        // The doomed worker may already have claimed the follow-up when it dies: the sweeper then retries it.
        const next = await api.engine.jobs.create({ name: `follow-up ${iteration}`, action: 'fixture.record', args: { file: file('follow-up') }, retries: 2 });
        const job = await api.engine.jobs.create({
          name: `chain then die ${iteration}`,
          action: 'fixture.record',
          args: { file: file('source') },
          followUps: [{ jobId: next.id, on: 'SUCCEEDED' }],
        });
        const worker = suite.db.spawn(`doomed-${iteration}`);
        await worker.ready;
        const run = await api.engine.runs.start(job.id, { trigger: 'MANUAL' });

        let ended = false;
        while (!ended && worker.alive()) {
          const row = await prisma.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
          ended = isTerminal(row.status);
        }
        const exit = await worker.stop('SIGKILL');
        expect(ended, `iteration ${iteration}: the worker exited before the run ended:\n${worker.output()}`).toBe(true);
        expect(exit.signal).toBe('SIGKILL');
        expect((await prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('SUCCEEDED');
        expect(await prisma.run.count({ where: { causedByRunId: run.id } })).toBe(1);

        const rescuer = suite.db.spawn(`rescuer-${iteration}`);
        await rescuer.ready;
        const followUp = await until(`iteration ${iteration}: the follow-up's ending`, async () => {
          const row = await prisma.run.findFirst({ where: { causedByRunId: run.id } });
          return row && isTerminal(row.status) && row;
        }, 30_000, () => describeRuns(prisma, next.id));
        expect(followUp).toMatchObject({ jobId: next.id, trigger: 'CHAIN', status: 'SUCCEEDED' });
        expect(await prisma.run.count({ where: { jobId: next.id } })).toBe(1);
        const ends = fs.readFileSync(file('follow-up'), 'utf8').split('\n').filter((line) => line.startsWith(`end ${followUp.id} `));
        expect(ends).toHaveLength(1);
        await rescuer.stop('SIGTERM');
      }
    },
    300_000,
  );
});
