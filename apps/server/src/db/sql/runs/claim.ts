// Claims queued runs for a worker: QUEUED → RUNNING, conditional on the attempt an entry was made for, so an
// expired Agenda lock re-running an old entry claims nothing. Plain SQL: on the trigger-latency path between the
// wake-up and the action (bench/latency.ts, bench/throughput.ts).
import type { Run, RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { runRow } from '../rows/run.js';

export interface ClaimRuns {
  runs: ReadonlyArray<{ runId: string; attempt: number }>;
  /** The statuses a run may be claimed from (the transition table's). */
  from: readonly RunStatus[];
  workerId: string;
  now: Date;
}

export async function claimRuns(client: SqlClient, { runs, from, workerId, now }: ClaimRuns): Promise<Run[]> {
  const { rows } = await client.query(
    `UPDATE "runs" AS r SET status = 'RUNNING', started_at = $3, heartbeat_at = $3, worker_id = $4, finished_at = NULL
     FROM unnest($1::uuid[], $2::int[]) AS v(id, attempt)
     WHERE r.id = v.id AND r.attempt = v.attempt AND r.status = ANY($5::"RunStatus"[])
     RETURNING r.*`,
    [runs.map((run) => run.runId), runs.map((run) => run.attempt), now, workerId, from],
  );
  return parseRows(runRow, rows);
}
