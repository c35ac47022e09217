// After a claim that took fewer runs of a queue than its group had places for (a queue at its concurrency limit,
// runs another worker had locked, runs queued after the claim's snapshot): which queued, due runs get those places
// back in a new entry. The group's own runs still queued come first (an entry names the runs it was queued for, which
// the repair pass looks up); the rest of a queue's places go to its best queued runs, whichever entry named them.
// Entries of a queue are interchangeable, so a place named after a run that already has one is a spare: it claims
// the next run or nothing. Never read when a claim took as many runs of each queue as its group named.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const row = z.object({ id: z.string(), attempt: z.number().int(), job_id: z.string(), queue: z.string() });

export interface PlacesOwed {
  /** The group's runs the claim did not take. */
  named: readonly string[];
  /** Places to give back per queue. */
  owed: ReadonlyArray<{ queue: string; places: number }>;
  now: Date;
}

export async function readRunsOwedPlaces(
  client: SqlClient,
  { named, owed, now }: PlacesOwed,
): Promise<Array<{ id: string; attempt: number; jobId: string; queue: string }>> {
  const { rows } = await client.query(
    `WITH named AS (
       SELECT id, attempt, job_id, queue, row_number() OVER (PARTITION BY queue ORDER BY priority DESC, created_at, id) AS place
       FROM "runs"
       WHERE id = ANY($1::uuid[]) AND status = 'QUEUED' AND parent_run_id IS NULL AND (not_before IS NULL OR not_before <= $4)
     ), owed AS (
       SELECT o.queue, o.places, o.places - (SELECT count(*) FROM named n WHERE n.queue = o.queue) AS rest
       FROM unnest($2::text[], $3::int[]) AS o(queue, places)
     )
     SELECT n.id, n.attempt, n.job_id, n.queue FROM named n JOIN owed o ON o.queue = n.queue WHERE n.place <= o.places
     UNION ALL
     SELECT r.id, r.attempt, r.job_id, r.queue FROM owed o CROSS JOIN LATERAL (
       SELECT x.id, x.attempt, x.job_id, x.queue FROM "runs" x
       WHERE x.status = 'QUEUED' AND x.parent_run_id IS NULL AND x.queue = o.queue
         AND (x.not_before IS NULL OR x.not_before <= $4) AND NOT (x.id = ANY($1::uuid[]))
       ORDER BY x.priority DESC, x.created_at, x.id
       LIMIT greatest(o.rest, 0)
     ) r`,
    [named, owed.map((o) => o.queue), owed.map((o) => o.places), now],
  );
  return parseRows(row, rows).map((r) => ({ id: r.id, attempt: r.attempt, jobId: r.job_id, queue: r.queue }));
}
