// A run's notification outbox rows, written by the same statement (or transaction) that records the run's ending:
// a process killed right after that commit loses no notification. `enqueueSql` is the common tail of those
// statements: given a CTE named `ended` (id, job_id, parent_run_id, status, created_at) of runs that just ended, it
// inserts one row per recipient for each top-level run whose job asks for that outcome, and leaves a CTE named
// `queued` (run_id) of the rows it inserted. A run ending for most jobs (which notify nobody) costs one probe of the
// jobs table's primary key. The outcome: the run's status when the job asks for it; a success right after a run
// that did not succeed is RECOVERED when the job asks for RECOVERED (one notice, not two, when it also asks for
// SUCCEEDED); otherwise SUCCEEDED when asked. Recipients: the job's e-mail addresses, its chosen users' and chosen
// roles' active members' addresses (one notice per address, whatever its case), its webhooks.
import { z } from 'zod';
import type { RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { int } from '../rows/columns.js';

/** Run statuses a top-level run can end in that notify (CANCELLED and SKIPPED never do). */
export const NOTIFYING_STATUSES = ['FAILED', 'TIMED_OUT', 'INTERRUPTED', 'PARTIALLY_SUCCEEDED', 'SUCCEEDED'] as const satisfies readonly RunStatus[];

/** Constants of the code, not input: written into the statement as a literal. */
const notifying = `'{${NOTIFYING_STATUSES.join(',')}}'::text[]`;

export const enqueueSql = `
  notifying AS (
    SELECT e.id AS run_id, e.job_id, j.notify_emails, j.notify_webhooks,
      CASE
        WHEN e.status::text <> 'SUCCEEDED' THEN (CASE WHEN e.status::text = ANY(j.notify_on::text[]) THEN e.status::text END)
        WHEN 'RECOVERED' = ANY(j.notify_on::text[]) AND (
          -- The job's previous top-level run with a telling outcome, by creation: walks runs(job_id, parent_run_id,
          -- created_at DESC) and stops at the first match.
          SELECT p.status::text FROM "runs" p
          WHERE p.job_id = e.job_id AND p.parent_run_id IS NULL AND p.created_at <= e.created_at AND p.id <> e.id
            AND p.status::text = ANY(${notifying})
          ORDER BY p.parent_run_id, p.created_at DESC LIMIT 1
        ) <> 'SUCCEEDED' THEN 'RECOVERED'
        WHEN 'SUCCEEDED' = ANY(j.notify_on::text[]) THEN 'SUCCEEDED'
      END AS outcome
    FROM ended e JOIN "jobs" j ON j.id = e.job_id
    WHERE e.parent_run_id IS NULL AND e.status::text = ANY(${notifying}) AND cardinality(j.notify_on) > 0
  ),
  emails AS (
    SELECT DISTINCT ON (n.run_id, lower(a.email)) n.run_id, n.job_id, n.outcome, a.email
    FROM notifying n CROSS JOIN LATERAL (
      SELECT own.email, 0 AS rank FROM unnest(n.notify_emails) AS own(email)
      UNION ALL
      SELECT u.email, 1 FROM "users" u
      WHERE u.active AND u.id IN (
        SELECT nu.user_id FROM job_notify_users nu WHERE nu.job_id = n.job_id
        UNION
        SELECT ur.user_id FROM job_notify_roles nr JOIN user_roles ur ON ur.role_id = nr.role_id WHERE nr.job_id = n.job_id
      )
    ) a
    WHERE n.outcome IS NOT NULL
    ORDER BY n.run_id, lower(a.email), a.rank, a.email
  ),
  queued AS (
    INSERT INTO notification_deliveries (id, job_id, run_id, channel, recipient, outcome)
    SELECT gen_random_uuid(), r.job_id, r.run_id, r.channel::"NotificationChannel", r.recipient, r.outcome::"NotificationOutcome"
    FROM (
      SELECT run_id, job_id, outcome, 'EMAIL' AS channel, email AS recipient FROM emails
      UNION ALL
      SELECT n.run_id, n.job_id, n.outcome, 'WEBHOOK', w.url FROM notifying n CROSS JOIN unnest(n.notify_webhooks) AS w(url)
      WHERE n.outcome IS NOT NULL
    ) r
    ON CONFLICT (run_id, channel, recipient) DO NOTHING
    RETURNING run_id
  )`;

/**
 * The outbox rows of runs that have ended already (a per-user parent's roll-up, written in the same transaction);
 * a second call for the same run adds nothing. Returns how many rows it wrote.
 */
export async function enqueueNotifications(client: SqlClient, runIds: readonly string[]): Promise<number> {
  const { rows } = await client.query(
    `WITH ended AS (SELECT id, job_id, parent_run_id, status, created_at FROM "runs" WHERE id = ANY($1::uuid[])),
     ${enqueueSql}
     SELECT count(*)::int AS count FROM queued`,
    [runIds],
  );
  return parseRows(z.object({ count: int }), rows)[0]?.count ?? 0;
}
