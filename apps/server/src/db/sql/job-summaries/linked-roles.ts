// The roles a page of jobs targets or notifies, by name: one statement per link, however many jobs.
// Benchmark: api-jobs (docs/benchmarks.md).
import type { Role } from '../../prisma.js';
import type { SqlClient } from '../client.js';
import { roleRow } from '../rows/role.js';
import { pageJob, type JobLink } from './page-row.js';

const linkedRolesOf = (table: string) => `
  SELECT l.job_id::text AS page_job_id, r.id, r.name, r.description, r.permissions::text[] AS permissions,
         r.built_in, r.created_at, r.updated_at
  FROM ${table} l JOIN roles r ON r.id = l.role_id
  WHERE l.job_id = ANY($1::uuid[]) ORDER BY r.name, r.id`;

const LINKED_ROLES: Record<JobLink, string> = {
  targets: linkedRolesOf('job_target_roles'),
  notified: linkedRolesOf('job_notify_roles'),
};

export async function selectLinkedRoles(sql: SqlClient, link: JobLink, jobIds: readonly string[]): Promise<{ jobId: string; role: Role }[]> {
  const { rows } = await sql.query(LINKED_ROLES[link], [jobIds]);
  return rows.map((row) => ({ jobId: pageJob.parse(row).page_job_id, role: roleRow.parse(row) }));
}
