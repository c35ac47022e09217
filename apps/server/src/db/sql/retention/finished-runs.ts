// Which runs retention may delete (sundial.cleanup through the action context): a top-level run that is over (one
// of the final statuses the caller passes, services/run-status.ts), finished before the cutoff, and none of whose
// per-user children is still active — with all of its children. Runs that are over never become active again (a
// retry is a new run), so what is chosen stays deletable. Children go before their parent and log lines before
// their run, so no statement cascades into an unbounded number of rows.
// $1 cutoff, $2 final statuses. created_at < cutoff is implied by finishing before it; it lets the created_at index
// narrow the scan.
export const FINISHED_TOP_RUNS = `
  SELECT t.id FROM runs t
  WHERE t.parent_run_id IS NULL
    AND t.created_at < $1
    AND COALESCE(t.finished_at, t.created_at) < $1
    AND t.status::text = ANY($2::text[])
    AND NOT EXISTS (
      SELECT 1 FROM runs active WHERE active.parent_run_id = t.id AND NOT (active.status::text = ANY($2::text[]))
    )`;
