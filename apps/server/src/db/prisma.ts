import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';
import { withSerialTransactions } from './serial-transactions.js';

export { Prisma, PrismaClient } from './generated/prisma/client.js';
export type * from './generated/prisma/client.js';

/**
 * Prisma over an existing pg pool, so Prisma and Agenda share one bounded set of connections. A transaction's
 * statements go one at a time (serial-transactions.ts).
 */
export function createPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: withSerialTransactions(new PrismaPg(pool)) });
}
