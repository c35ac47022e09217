// The SQL of sundial.cleanup, one statement per function; the action only calls these.
//
// Which runs go: a top-level run that is over (a final status), finished before the cutoff, and none of whose
// per-user children is still active — with all of its children. Runs that are over never become active again
// (a retry is a new run), so what is chosen here stays deletable. Children go before their parent and log lines
// before their run, so no statement ever cascades into an unbounded number of rows.

/** What the action needs of a database: pg's Pool (or Client) fits. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** Final statuses (mirrors the server's run-status.ts): everything else — queued, running, cancelling — is active. */
export const FINAL_STATUSES = [
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
  'SKIPPED',
] as const;

// $1 cutoff, $2 final statuses. created_at < cutoff is implied by finishing before it; it lets the
// created_at index narrow the scan.
const TOP_RUNS_OVER = `
  SELECT t.id FROM runs t
  WHERE t.parent_run_id IS NULL
    AND t.created_at < $1
    AND COALESCE(t.finished_at, t.created_at) < $1
    AND t.status::text = ANY($2::text[])
    AND NOT EXISTS (
      SELECT 1 FROM runs active WHERE active.parent_run_id = t.id AND NOT (active.status::text = ANY($2::text[]))
    )`;

export async function countRunsToDelete(sql: SqlClient, cutoff: Date): Promise<number> {
  const { rows } = await sql.query(
    `WITH tops AS (${TOP_RUNS_OVER})
     SELECT (SELECT count(*) FROM tops)::int + (SELECT count(*) FROM runs c WHERE c.parent_run_id IN (SELECT id FROM tops))::int AS runs`,
    [cutoff, FINAL_STATUSES],
  );
  return (rows[0] as { runs: number }).runs;
}

/** Up to `limit` run ids to delete next: children first; their parents once no child is left. */
export async function nextRunsToDelete(sql: SqlClient, cutoff: Date, limit: number): Promise<string[]> {
  const children = await sql.query(
    `SELECT c.id FROM runs c WHERE c.parent_run_id IN (${TOP_RUNS_OVER}) LIMIT $3`,
    [cutoff, FINAL_STATUSES, limit],
  );
  if (children.rows.length > 0) return children.rows.map((row) => (row as { id: string }).id);
  const tops = await sql.query(
    `SELECT t.id FROM (${TOP_RUNS_OVER}) t
     WHERE NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_run_id = t.id)
     LIMIT $3`,
    [cutoff, FINAL_STATUSES, limit],
  );
  return tops.rows.map((row) => (row as { id: string }).id);
}

/** Deletes up to `limit` log lines of these runs; returns how many went. */
export async function deleteLogLines(sql: SqlClient, runIds: readonly string[], limit: number): Promise<number> {
  const { rowCount } = await sql.query(
    `DELETE FROM run_log_lines WHERE id IN (
       SELECT id FROM run_log_lines WHERE run_id = ANY($1::uuid[]) LIMIT $2
     )`,
    [runIds, limit],
  );
  return rowCount ?? 0;
}

/** Deletes these runs, re-checking in the statement that each is over and has no child left. */
export async function deleteRuns(sql: SqlClient, runIds: readonly string[]): Promise<number> {
  const { rowCount } = await sql.query(
    `DELETE FROM runs r
     WHERE r.id = ANY($1::uuid[])
       AND r.status::text = ANY($2::text[])
       AND NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_run_id = r.id)`,
    [runIds, FINAL_STATUSES],
  );
  return rowCount ?? 0;
}
