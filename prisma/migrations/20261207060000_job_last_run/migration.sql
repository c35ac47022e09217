-- Each job's latest top-level run (by created_at), its status and when it was created, kept on the job row: the
-- jobs list filters by the latest run's status and orders by it, and finding every job's latest run at read time
-- took one index probe per job (about 450 ms over 10,000 jobs on a loaded machine; benchmark api-jobs).
-- Kept by statement-level triggers on runs, so every path that inserts, changes or deletes runs keeps it right
-- without knowing of it; each statement costs one more UPDATE of the jobs whose latest run it touched, and none for
-- the others (heartbeats, per-user children, runs that are not their job's latest).
-- Job rows are locked in id order on insert, so two statements inserting runs of the same jobs cannot deadlock.

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "last_run_id" UUID,
ADD COLUMN "last_run_status" "RunStatus",
ADD COLUMN "last_run_at" TIMESTAMPTZ(3);

-- Backfill
UPDATE "jobs" AS j SET "last_run_id" = l.id, "last_run_status" = l.status, "last_run_at" = l.created_at
FROM (SELECT DISTINCT ON (job_id) job_id, id, status, created_at FROM "runs" WHERE parent_run_id IS NULL
      ORDER BY job_id, created_at DESC, id DESC) AS l
WHERE j.id = l.job_id;

-- CreateIndex
CREATE INDEX "jobs_last_run_status_name_idx" ON "jobs"("last_run_status", "name");

-- CreateIndex (the jobs list by last run, newest first, jobs that never ran last: Prisma's DESC with nulls last)
CREATE INDEX "jobs_last_run_at_id_idx" ON "jobs"("last_run_at" DESC NULLS LAST, "id" DESC);

-- CreateIndex (the jobs list by next run, soonest first, jobs without one last)
CREATE INDEX "jobs_next_run_at_id_idx" ON "jobs"("next_run_at", "id");

-- CreateFunction
CREATE FUNCTION jobs_take_new_last_runs() RETURNS TRIGGER AS $$
BEGIN
    PERFORM 1 FROM "jobs" WHERE id IN (SELECT job_id FROM new_runs WHERE parent_run_id IS NULL) ORDER BY id FOR NO KEY UPDATE;
    UPDATE "jobs" AS j SET "last_run_id" = n.id, "last_run_status" = n.status, "last_run_at" = n.created_at
    FROM (SELECT DISTINCT ON (job_id) job_id, id, status, created_at FROM new_runs WHERE parent_run_id IS NULL
          ORDER BY job_id, created_at DESC, id DESC) AS n
    WHERE j.id = n.job_id AND (j.last_run_at IS NULL OR j.last_run_at <= n.created_at);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- CreateFunction
CREATE FUNCTION jobs_follow_last_run_status() RETURNS TRIGGER AS $$
BEGIN
    UPDATE "jobs" AS j SET "last_run_status" = n.status
    FROM (SELECT id, job_id, status FROM new_runs WHERE parent_run_id IS NULL) AS n
    WHERE j.id = n.job_id AND j.last_run_id = n.id AND j.last_run_status IS DISTINCT FROM n.status;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- CreateFunction
CREATE FUNCTION jobs_replace_deleted_last_runs() RETURNS TRIGGER AS $$
BEGIN
    UPDATE "jobs" AS j SET "last_run_id" = l.id, "last_run_status" = l.status, "last_run_at" = l.created_at
    FROM (SELECT o.job_id FROM old_runs o JOIN "jobs" AS jj ON jj.id = o.job_id AND jj.last_run_id = o.id
          WHERE o.parent_run_id IS NULL) AS gone
    LEFT JOIN LATERAL (SELECT r.id, r.status, r.created_at FROM "runs" r WHERE r.job_id = gone.job_id AND r.parent_run_id IS NULL
                       ORDER BY r.parent_run_id, r.created_at DESC, r.id DESC LIMIT 1) AS l ON true
    WHERE j.id = gone.job_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- CreateTrigger
CREATE TRIGGER "runs_last_run_insert" AFTER INSERT ON "runs"
REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION jobs_take_new_last_runs();

-- CreateTrigger
CREATE TRIGGER "runs_last_run_update" AFTER UPDATE ON "runs"
REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION jobs_follow_last_run_status();

-- CreateTrigger
CREATE TRIGGER "runs_last_run_delete" AFTER DELETE ON "runs"
REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION jobs_replace_deleted_last_runs();
