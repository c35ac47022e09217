// The users a page of jobs targets or notifies, by name: one statement per link, however many jobs (Prisma's
// include took two statements one after the other per relation). Benchmark: api-jobs (docs/benchmarks.md).
import type { User } from '../../prisma.js';
import type { SqlClient } from '../client.js';
import { userRow } from '../rows/user.js';
import { pageJob, type JobLink } from './page-row.js';

const linkedUsersOf = (table: string) => `
  SELECT l.job_id::text AS page_job_id, u.* FROM ${table} l JOIN users u ON u.id = l.user_id
  WHERE l.job_id = ANY($1::uuid[]) ORDER BY u.name, u.id`;

const LINKED_USERS: Record<JobLink, string> = {
  targets: linkedUsersOf('job_target_users'),
  notified: linkedUsersOf('job_notify_users'),
};

export async function selectLinkedUsers(sql: SqlClient, link: JobLink, jobIds: readonly string[]): Promise<{ jobId: string; user: User }[]> {
  const { rows } = await sql.query(LINKED_USERS[link], [jobIds]);
  return rows.map((row) => ({ jobId: pageJob.parse(row).page_job_id, user: userRow.parse(row) }));
}
