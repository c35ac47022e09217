// Claims the next page of a per-user parent's queued children. Plain SQL: fifty of these make a 10,000-user run,
// and Prisma's cost per returned row was a good part of it (bench/fanout.ts).
//
// Pages follow the children's ids (keyset): each claim reads the (parent_run_id, id) index from just past the last
// page, so a page costs the same at the first child as at the 100,000th. A claim of "the first queued children by
// id" would pass over every child claimed before it (their old index entries stay until vacuum): a run's claims
// quadratic in its children.
//
// The status test is written `(…) IS TRUE`, which no index can answer, so that the plan is always that walk: the
// next ids in order, the first `limit` queued ones taken. A fan-out's children are new rows the table's statistics
// have not seen (and a generic plan knows no parent), so the planner expects a handful of them. With a plain status
// test it intersects the status index (every queued run and every claimed child's old entry: 110,000 at 100,000
// users) with the parent's and sorts what is left: 8–10 ms of a 14 ms claim (bench/fanout.ts, auto_explain).
import type { Run, RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { runRow } from '../rows/run.js';

export interface ClaimChildren {
  parentId: string;
  from: readonly RunStatus[];
  workerId: string;
  now: Date;
  limit: number;
  /** The last id of the page before; null for the first page (the nil UUID sorts before every id). */
  after: string | null;
}

/** The claimed children, by id. */
export async function claimChildren(client: SqlClient, { parentId, from, workerId, now, limit, after }: ClaimChildren): Promise<Run[]> {
  const { rows } = await client.query(
    `UPDATE "runs" AS r SET status = 'RUNNING', started_at = $2, heartbeat_at = $2, worker_id = $3
     WHERE r.id IN (
         SELECT c.id FROM "runs" c
         WHERE c.parent_run_id = $1 AND c.id > coalesce($6::uuid, '00000000-0000-0000-0000-000000000000') AND (c.status = ANY($5::"RunStatus"[])) IS TRUE
         ORDER BY c.id LIMIT $4)
       AND r.status = ANY($5::"RunStatus"[])
     RETURNING r.*`,
    [parentId, now, workerId, limit, from, after],
  );
  return parseRows(runRow, rows).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
