// What a list of jobs shows beside each job — its latest runs, its run counts, the users and roles it targets or
// notifies — read for a whole page of jobs at once: one statement per kind (db/sql/job-summaries/), whatever the
// page size, all of them independent so a page sends them side by side. Plain SQL on the pool: Prisma's include
// would take two statements one after the other per relation (link rows, then the users or roles) plus its
// per-query cost.
import type pg from 'pg';
import type { Role, Run, RunStatus, User } from '../db/prisma.js';
import { preparedStatements, type SqlClient } from '../db/sql/client.js';
import { selectLatestRuns } from '../db/sql/job-summaries/latest-runs.js';
import { selectLinkedRoles } from '../db/sql/job-summaries/linked-roles.js';
import { selectLinkedUsers } from '../db/sql/job-summaries/linked-users.js';
import type { JobLink } from '../db/sql/job-summaries/page-row.js';
import { countRunsByStatus } from '../db/sql/job-summaries/run-counts.js';

export type { JobLink } from '../db/sql/job-summaries/page-row.js';

export interface LatestRuns {
  /** The latest top-level run, whatever its status. */
  lastRun: Run | null;
  /** The top-level run that succeeded and started last (what a new run's `since` counts from). */
  lastSuccess: Run | null;
}

export interface JobSummariesOptions {
  /**
   * Send each statement as a named (prepared) statement, planned once per connection: the latest-runs lookup
   * alone spends ~1 ms planning per page otherwise. Only where each pool connection is a session of its own
   * (see preparedStatements).
   */
  prepare: boolean;
}

export class JobSummaries {
  private readonly sql: SqlClient;

  constructor(pool: pg.Pool, options: JobSummariesOptions) {
    this.sql = options.prepare ? preparedStatements(pool, 'sundial_job_summaries_') : pool;
  }

  /** Each job's latest run and last success (top-level runs only). */
  async latestRuns(jobIds: string[]): Promise<Map<string, LatestRuns>> {
    const latest = new Map<string, LatestRuns>(jobIds.map((id) => [id, { lastRun: null, lastSuccess: null }]));
    for (const { jobId, kind, run } of await selectLatestRuns(this.sql, jobIds)) {
      const entry = latest.get(jobId)!;
      if (kind === 'last') entry.lastRun = run;
      else entry.lastSuccess = run;
    }
    return latest;
  }

  /** Each job's top-level runs counted by status. */
  async runCounts(jobIds: string[]): Promise<Map<string, Map<RunStatus, number>>> {
    const counts = new Map<string, Map<RunStatus, number>>(jobIds.map((id) => [id, new Map()]));
    for (const row of await countRunsByStatus(this.sql, jobIds)) counts.get(row.jobId)?.set(row.status, row.count);
    return counts;
  }

  /** The users each job targets or notifies, by name. */
  async users(jobIds: string[], link: JobLink): Promise<Map<string, User[]>> {
    return byJob(jobIds, (await selectLinkedUsers(this.sql, link, jobIds)).map(({ jobId, user }) => [jobId, user]));
  }

  /** The roles each job targets or notifies, by name. */
  async roles(jobIds: string[], link: JobLink): Promise<Map<string, Role[]>> {
    return byJob(jobIds, (await selectLinkedRoles(this.sql, link, jobIds)).map(({ jobId, role }) => [jobId, role]));
  }
}

function byJob<T>(jobIds: string[], rows: [jobId: string, item: T][]): Map<string, T[]> {
  const grouped = new Map<string, T[]>(jobIds.map((id) => [id, []]));
  for (const [jobId, item] of rows) grouped.get(jobId)?.push(item);
  return grouped;
}
