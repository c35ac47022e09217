// One statement at a time on a transaction's connection. Prisma's query interpreter reads a query's relations side
// by side (Promise.all over the children of a join), which is right on the pool, where each read takes its own
// connection; in an interactive transaction they all go to the transaction's one pg client, and pg deprecates a
// query sent while another is running on a client — "Calling client.query() when the client is already executing a
// query", an error from pg 9 on (a job read with its four user and role links inside the definitions transaction
// did it). pg's advice is flow control outside the client: this adapter sends a transaction's statements one after
// the other. The wire sees what it saw before (pg queued them itself); only the deprecated path is gone.
// Upstream: prisma/orm#29468 (open) would do the same inside @prisma/adapter-pg.
import type { SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/** The same adapter, whose transactions send their statements in turn. */
export function withSerialTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => inTurn(await start(isolationLevel));
    return adapter;
  };
  return factory;
}

function inTurn(transaction: Transaction): Transaction {
  let tail: Promise<unknown> = Promise.resolve();
  const next = <T>(statement: () => Promise<T>): Promise<T> => {
    const result = tail.then(statement);
    tail = result.catch(() => {});
    return result;
  };
  const query = transaction.queryRaw.bind(transaction);
  const execute = transaction.executeRaw.bind(transaction);
  // Savepoints and COMMIT go through executeRaw too, so they wait their turn as well.
  transaction.queryRaw = (statement) => next(() => query(statement));
  transaction.executeRaw = (statement) => next(() => execute(statement));
  return transaction;
}
