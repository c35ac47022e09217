// Locks a job's row for the rest of the transaction: a job edit and a firing of its schedule do not interleave.
import type { SqlClient } from '../client.js';

/** Whether the job exists (and is now locked). */
export async function lockJob(client: SqlClient, jobId: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT id FROM "jobs" WHERE id = $1::uuid FOR UPDATE`, [jobId]);
  return rows.length > 0;
}
