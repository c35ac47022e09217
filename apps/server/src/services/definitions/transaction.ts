// The services are written against PrismaClient and open their own transactions for multi-step changes. To run
// many of their changes in ONE transaction (a definitions document is applied whole or not at all), they are given
// the transaction's client, on which their own `$transaction` simply joins the transaction already open.
import type { Prisma, PrismaClient } from '../../db/prisma.js';

export function joinTransaction(tx: Prisma.TransactionClient): PrismaClient {
  const join = (work: unknown) =>
    typeof work === 'function' ? (work as (client: Prisma.TransactionClient) => Promise<unknown>)(tx) : Promise.all(work as Promise<unknown>[]);
  return new Proxy(tx, {
    get: (target, property) => (property === '$transaction' ? join : Reflect.get(target, property)),
  }) as unknown as PrismaClient;
}
