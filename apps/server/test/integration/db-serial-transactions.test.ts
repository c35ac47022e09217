// A transaction's statements go one at a time on its connection (db/serial-transactions.ts): Prisma reads a query's
// relations side by side, which inside an interactive transaction sent a query to a pg client that was already
// executing one — deprecated by pg ("Calling client.query() when the client is already executing a query"), an
// error in pg 9. Node emits a deprecation once per process, so each case looks for it in its own way: the warning
// must not appear at all while this file runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../support/database.js';

const CONCURRENT_QUERY = /already executing a query/;

describe('transactions over the pg pool', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeAll(async () => {
    process.on('warning', onWarning);
    db = await openTestDatabase();
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await db?.drop();
  });

  /** Warnings are emitted on the next tick: let them through before looking. */
  const concurrentQueryWarnings = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return warnings.filter((warning) => CONCURRENT_QUERY.test(warning.message)).map((warning) => warning.message);
  };

  it('reads a job with its four user and role links inside a transaction, one statement at a time', async () => {
    const user = await db.prisma.user.create({ data: { email: 'ada@example.test', name: 'Ada' } });
    const role = await db.prisma.role.create({ data: { name: 'readers' } });
    const job = await db.prisma.job.create({
      data: {
        name: 'linked',
        action: 'examples.noop',
        targetUsers: { create: { userId: user.id } },
        targetRoles: { create: { roleId: role.id } },
        notifyUsers: { create: { userId: user.id } },
        notifyRoles: { create: { roleId: role.id } },
      },
    });
    const read = await db.prisma.$transaction((tx) =>
      tx.job.findUniqueOrThrow({
        where: { id: job.id },
        include: { targetUsers: true, targetRoles: true, notifyUsers: true, notifyRoles: true },
      }),
    );
    expect([read.targetUsers.length, read.targetRoles.length, read.notifyUsers.length, read.notifyRoles.length]).toEqual([1, 1, 1, 1]);
    expect(await concurrentQueryWarnings()).toEqual([]);
  });

  it('takes statements a transaction sends side by side in turn, and a failed one does not hold up the rest', async () => {
    const counts = await db.prisma.$transaction((tx) => Promise.all([tx.user.count(), tx.role.count(), tx.job.count()]));
    expect(counts).toEqual([1, 1, 1]);
    await expect(
      db.prisma.$transaction((tx) => Promise.all([tx.$queryRawUnsafe('SELECT 1/0'), tx.user.count()])),
    ).rejects.toThrow(/division by zero/);
    // The failed transaction let go of its connection: the next one runs.
    expect(await db.prisma.$transaction((tx) => tx.user.count())).toBe(1);
    expect(await concurrentQueryWarnings()).toEqual([]);
  });
});
