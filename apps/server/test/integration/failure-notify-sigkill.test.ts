// A worker killed with SIGKILL the moment a run's ending is committed loses none of the run's notifications: the
// outbox rows commit in the same statement as the ending. The test watches the run's row from this process and
// kills the worker (a real process) as soon as the row shows the ending — a few milliseconds after the commit,
// before anything written after the commit could be.
//
// PostgreSQL only: observing another process's commit needs a database both processes reach, and the embedded
// database (PGlite) is open to one process at a time.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/services/run-status.js';
import { usingRealPostgres } from '../support/database.js';
import { describeRuns, until, workerSuite } from '../support/processes.js';

const ITERATIONS = 3;

const suite = workerSuite('sundial-notify-sigkill-');

describe.runIf(usingRealPostgres)('SIGKILL right after a run ends (PostgreSQL: the worker is a process)', () => {
  it(
    "keeps every outbox row of the run's notifications",
    async () => {
      const api = suite.api!;
      const prisma = api.database.prisma;
      for (let iteration = 1; iteration <= ITERATIONS; iteration += 1) {
        const job = await api.engine.jobs.create({
          name: `notify then die ${iteration}`,
          action: 'fixture.record',
          args: { file: path.join(suite.folder, `records-${iteration}.txt`) },
          notifyOn: ['SUCCEEDED'],
          notifyEmails: ['ops@example.com'],
          notifyWebhooks: ['https://hooks.example.com/sundial'],
        });
        const worker = suite.db.spawn(`doomed-${iteration}`);
        await worker.ready;
        const run = await api.engine.runs.start(job.id, { trigger: 'MANUAL' });

        // As close to the commit as this process can see it: read the row again and again, kill at its ending.
        let ended = false;
        while (!ended && worker.alive()) {
          const row = await prisma.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
          ended = isTerminal(row.status);
        }
        const exit = await worker.stop('SIGKILL');
        expect(ended, `iteration ${iteration}: the worker exited before the run ended:\n${worker.output()}`).toBe(true);
        expect(exit.signal).toBe('SIGKILL');

        const finished = await until(`iteration ${iteration}: the run's final row`, async () => {
          const row = await prisma.run.findUniqueOrThrow({ where: { id: run.id } });
          return isTerminal(row.status) && row;
        }, 10_000, () => describeRuns(prisma, job.id));
        expect(finished.status).toBe('SUCCEEDED');
        const deliveries = await prisma.notificationDelivery.findMany({ where: { runId: run.id }, orderBy: { channel: 'asc' } });
        expect(deliveries.map((delivery) => [delivery.channel, delivery.recipient, delivery.outcome])).toEqual([
          ['EMAIL', 'ops@example.com', 'SUCCEEDED'],
          ['WEBHOOK', 'https://hooks.example.com/sundial', 'SUCCEEDED'],
        ]);
      }
    },
    300_000,
  );
});
