// A job's target users as stored with the job (its chosen users ∪ active members of its chosen roles), in one
// statement: the ids come from a UNION the primary keys answer, so a job without targets costs two index probes,
// not a scan of the users table. Read before every run (three queries per run before it was one).
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';
import { json } from '../rows/columns.js';

const JOB_TARGET_USERS = `
  SELECT u.id::text AS id, u.email, u.name, u.attributes
  FROM users u
  WHERE u.active AND u.id IN (
    SELECT tu.user_id FROM job_target_users tu WHERE tu.job_id = $1::uuid
    UNION
    SELECT ur.user_id FROM job_target_roles tr JOIN user_roles ur ON ur.role_id = tr.role_id WHERE tr.job_id = $1::uuid
  )
  ORDER BY u.id`;

const targetUserRow = z.object({ id: z.string(), email: z.string(), name: z.string(), attributes: json });

export async function selectJobTargetUsers(sql: SqlClient, jobId: string) {
  const { rows } = await sql.query(JOB_TARGET_USERS, [jobId]);
  return parseRows(targetUserRow, rows);
}
