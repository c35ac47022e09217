// Up to `limit` ids of runs retention deletes next: children of finished top-level runs first (one statement);
// once none is left, the top-level runs themselves (another).
import { z } from 'zod';
import type { RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { FINISHED_TOP_RUNS } from './finished-runs.js';

const idRow = z.object({ id: z.string() });

const FINISHED_CHILD_RUNS = `SELECT c.id FROM runs c WHERE c.parent_run_id IN (${FINISHED_TOP_RUNS}) LIMIT $3`;

const CHILDLESS_FINISHED_TOP_RUNS = `
  SELECT t.id FROM (${FINISHED_TOP_RUNS}) t
  WHERE NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_run_id = t.id)
  LIMIT $3`;

export async function selectFinishedChildRuns(sql: SqlClient, cutoff: Date, finalStatuses: readonly RunStatus[], limit: number): Promise<string[]> {
  const { rows } = await sql.query(FINISHED_CHILD_RUNS, [cutoff, finalStatuses, limit]);
  return parseRows(idRow, rows).map((row) => row.id);
}

export async function selectChildlessFinishedTopRuns(
  sql: SqlClient,
  cutoff: Date,
  finalStatuses: readonly RunStatus[],
  limit: number,
): Promise<string[]> {
  const { rows } = await sql.query(CHILDLESS_FINISHED_TOP_RUNS, [cutoff, finalStatuses, limit]);
  return parseRows(idRow, rows).map((row) => row.id);
}
