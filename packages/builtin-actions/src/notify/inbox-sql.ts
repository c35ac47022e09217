// The SQL of notify.users' inbox channel and of run.scheduledFor; the action only calls these. The package has no
// Prisma: the server hands it the app database (a pg-compatible client), as for sundial.cleanup.
import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../cleanup/sql.js';

export interface InboxRow {
  userId: string;
  runId: string | null;
  jobId: string | null;
  subject: string;
  body: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (value: string | null) => (value !== null && UUID.test(value) ? value : null);

/**
 * Stores one message in a user's inbox; returns its id. The run and job are linked when they exist (an action
 * test's run, 'test-run', does not); a user who does not exist (deleted since the run started) is an error.
 */
export async function insertInboxMessage(sql: SqlClient, row: InboxRow): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO inbox_messages (id, user_id, run_id, job_id, subject, body)
     VALUES ($1, $2::uuid, (SELECT id FROM runs WHERE id = $3::uuid), (SELECT id FROM jobs WHERE id = $4::uuid), $5, $6)`,
    [id, uuidOrNull(row.userId) ?? row.userId, uuidOrNull(row.runId), uuidOrNull(row.jobId), row.subject, row.body],
  );
  return id;
}

/** When the run (its per-user parent for a child) was due; null when the run is not stored (a test run). */
export async function scheduledForOf(sql: SqlClient, runId: string): Promise<Date | null> {
  if (!UUID.test(runId)) return null;
  const { rows } = await sql.query(`SELECT scheduled_for FROM runs WHERE id = $1::uuid`, [runId]);
  const value = (rows[0] as { scheduled_for: Date | string } | undefined)?.scheduled_for;
  return value === undefined ? null : new Date(value);
}
