// `since`: the start of a job's last succeeded top-level run, as a subquery for the statements that create runs
// (starting runs now, firing schedules). One text, so the two cannot come to disagree on what counts.

/** The subquery for the job whose id is the SQL expression `jobId` (e.g. `j.id`). */
export function lastSuccessStartOf(jobId: string): string {
  return `(SELECT r.started_at FROM "runs" r
         WHERE r.job_id = ${jobId} AND r.parent_run_id IS NULL AND r.status = 'SUCCEEDED'
         ORDER BY r.started_at DESC LIMIT 1)`;
}
