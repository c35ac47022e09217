// The services are written against PrismaClient and open their own transactions for multi-step changes. To run
// many of their changes in ONE transaction (a definitions document is applied whole or not at all), they are given
// the transaction's client, on which their own `$transaction` simply joins the transaction already open.
import type { Prisma, PrismaClient } from '../../db/prisma.js';

export function joinTransaction(tx: Prisma.TransactionClient): PrismaClient {
  const join = async (work: unknown) => {
    if (typeof work === 'function') return (work as (client: Prisma.TransactionClient) => Promise<unknown>)(tx);
    // The batch form runs its statements in order: one connection cannot run two at once.
    const results: unknown[] = [];
    for (const statement of work as Promise<unknown>[]) results.push(await statement);
    return results;
  };
  return new Proxy(tx, {
    get: (target, property) => (property === '$transaction' ? join : (Reflect.get(target, property) as unknown)),
  }) as unknown as PrismaClient;
}
