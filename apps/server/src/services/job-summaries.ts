// What a list of jobs shows beside each job — its latest runs, its run counts, the users and roles it targets or
// notifies — read for a whole page of jobs at once: one statement per kind, whatever the page size, all of them
// independent so a page sends them side by side. Plain SQL on the pool: Prisma's include would take two
// statements one after the other per relation (link rows, then the users or roles) plus its per-query cost.
import type pg from 'pg';
import type { Role, Run, RunStatus, User } from '../db/prisma.js';
import { roleFromRow, runFromRow, userFromRow } from '../db/rows.js';

export interface LatestRuns {
  /** The latest top-level run, whatever its status. */
  lastRun: Run | null;
  /** The top-level run that succeeded and started last (what a new run's `since` counts from). */
  lastSuccess: Run | null;
}

/** Which link table joins jobs to users or roles. */
export type JobLink = 'targets' | 'notified';

const USER_LINKS: Record<JobLink, string> = { targets: 'job_target_users', notified: 'job_notify_users' };
const ROLE_LINKS: Record<JobLink, string> = { targets: 'job_target_roles', notified: 'job_notify_roles' };

/** The column each row carries its job in, named so no table's own column can clash with it. */
type WithPageJob = Record<string, unknown> & { page_job_id: string };

export interface JobSummariesOptions {
  /**
   * Send each statement as a named (prepared) statement, planned once per connection: the latest-runs lookup
   * alone spends ~1 ms planning per page otherwise. Only where each pool connection is a session of its own: the
   * embedded database serves every connection from one session, where a second PREPARE of a name is an error.
   */
  prepare: boolean;
}

export class JobSummaries {
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: JobSummariesOptions,
  ) {}

  private async query<Row extends pg.QueryResultRow>(name: string, text: string, jobIds: string[]): Promise<Row[]> {
    const statement = this.options.prepare ? { name: `sundial_job_summaries_${name}`, text } : { text };
    return (await this.pool.query<Row>({ ...statement, values: [jobIds] })).rows;
  }

  /** Each job's latest run and last success: top-level runs only, one index probe each, newest first. */
  async latestRuns(jobIds: string[]): Promise<Map<string, LatestRuns>> {
    // `parent_run_id IS NULL` is not an equality to PostgreSQL's planner, so it would not see that the index is
    // already in the wanted order and would read and sort every run of the job; naming parent_run_id (constant
    // here) in ORDER BY spells out the index's order. Last success is by start time, like `since`
    // (services/runs.ts lastSuccessStart), which is the order of the (job, parent, status, started_at) index.
    const rows = await this.query<WithPageJob & { page_kind: 'last' | 'success' }>(
      'latest_runs',
      `SELECT j.id::text AS page_job_id, 'last' AS page_kind, r.* FROM unnest($1::uuid[]) AS j(id)
         CROSS JOIN LATERAL (SELECT * FROM runs r WHERE r.job_id = j.id AND r.parent_run_id IS NULL
                             ORDER BY r.parent_run_id, r.created_at DESC LIMIT 1) r
       UNION ALL
       SELECT j.id::text, 'success', r.* FROM unnest($1::uuid[]) AS j(id)
         CROSS JOIN LATERAL (SELECT * FROM runs r WHERE r.job_id = j.id AND r.parent_run_id IS NULL AND r.status = 'SUCCEEDED'
                             ORDER BY r.parent_run_id, r.status, r.started_at DESC LIMIT 1) r`,
      jobIds,
    );
    const latest = new Map<string, LatestRuns>(jobIds.map((id) => [id, { lastRun: null, lastSuccess: null }]));
    for (const { page_job_id, page_kind, ...row } of rows) {
      const entry = latest.get(page_job_id)!;
      if (page_kind === 'last') entry.lastRun = runFromRow(row);
      else entry.lastSuccess = runFromRow(row);
    }
    return latest;
  }

  /** Each job's top-level runs counted by status (an index-only scan of the job's runs). */
  async runCounts(jobIds: string[]): Promise<Map<string, Map<RunStatus, number>>> {
    const rows = await this.query<{ page_job_id: string; status: RunStatus; count: number }>(
      'run_counts',
      `SELECT job_id::text AS page_job_id, status::text AS status, count(*)::int AS count
       FROM runs WHERE job_id = ANY($1::uuid[]) AND parent_run_id IS NULL
       GROUP BY job_id, status`,
      jobIds,
    );
    const counts = new Map<string, Map<RunStatus, number>>(jobIds.map((id) => [id, new Map()]));
    for (const row of rows) counts.get(row.page_job_id)?.set(row.status, row.count);
    return counts;
  }

  /** The users each job targets or notifies, by name. */
  async users(jobIds: string[], link: JobLink): Promise<Map<string, User[]>> {
    const rows = await this.query<WithPageJob>(
      `users_${link}`,
      `SELECT l.job_id::text AS page_job_id, u.* FROM ${USER_LINKS[link]} l JOIN users u ON u.id = l.user_id
       WHERE l.job_id = ANY($1::uuid[]) ORDER BY u.name, u.id`,
      jobIds,
    );
    return byJob(jobIds, rows, userFromRow);
  }

  /** The roles each job targets or notifies, by name. */
  async roles(jobIds: string[], link: JobLink): Promise<Map<string, Role[]>> {
    const rows = await this.query<WithPageJob>(
      `roles_${link}`,
      // pg reads an array of an enum as its text ('{A,B}'): the cast makes it a text[], as Prisma reads it.
      `SELECT l.job_id::text AS page_job_id, r.id, r.name, r.description, r.permissions::text[] AS permissions,
              r.built_in, r.created_at, r.updated_at
       FROM ${ROLE_LINKS[link]} l JOIN roles r ON r.id = l.role_id
       WHERE l.job_id = ANY($1::uuid[]) ORDER BY r.name, r.id`,
      jobIds,
    );
    return byJob(jobIds, rows, roleFromRow);
  }
}

function byJob<T>(jobIds: string[], rows: WithPageJob[], fromRow: (row: Record<string, unknown>) => T): Map<string, T[]> {
  const grouped = new Map<string, T[]>(jobIds.map((id) => [id, []]));
  for (const { page_job_id, ...row } of rows) grouped.get(page_job_id)?.push(fromRow(row));
  return grouped;
}
