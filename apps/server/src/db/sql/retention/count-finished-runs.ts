// How many runs retention would delete now: the finished top-level runs and their children (see finished-runs.ts).
import { z } from 'zod';
import type { RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { FINISHED_TOP_RUNS } from './finished-runs.js';

const COUNT_FINISHED_RUNS = `
  WITH tops AS (${FINISHED_TOP_RUNS})
  SELECT (SELECT count(*) FROM tops)::int + (SELECT count(*) FROM runs c WHERE c.parent_run_id IN (SELECT id FROM tops))::int AS runs`;

export async function countFinishedRuns(sql: SqlClient, cutoff: Date, finalStatuses: readonly RunStatus[]): Promise<number> {
  const { rows } = await sql.query(COUNT_FINISHED_RUNS, [cutoff, finalStatuses]);
  return parseRows(z.object({ runs: z.number().int() }), rows)[0]?.runs ?? 0;
}
