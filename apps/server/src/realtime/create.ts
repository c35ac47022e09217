// Which bus this process gets: on PostgreSQL, one that crosses processes (LISTEN/NOTIFY); on the embedded
// database, which serves one process and cannot deliver NOTIFY, the in-process one.
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import { createRealtimeBus, type RealtimeBus } from './bus.js';
import { createPostgresTransport } from './postgres.js';

export async function createRealtime(database: Pick<Database, 'mode' | 'url' | 'pool'>, logger: Logger): Promise<RealtimeBus> {
  if (database.mode === 'embedded') return createRealtimeBus();
  return createRealtimeBus(await createPostgresTransport({ url: database.url, pool: database.pool, logger }));
}
