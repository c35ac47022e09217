-- Queue routing and strict priority: a queued run carries its job's queue and priority, so a worker claims the
-- runs of the queues it takes, highest priority first, oldest first within a priority, straight from an index.
-- A run keeps the queue and priority its job had when the run was created (a trigger copies them, so every path
-- that inserts runs — run now, occurrences, follow-ups, backfills, webhooks — fills them without knowing of them).
-- Workers advertise the queues they take in "workers", so a run no live worker takes can say so.

-- AlterTable
ALTER TABLE "runs" ADD COLUMN "queue" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "not_before" TIMESTAMPTZ(3);

-- Backfill (runs still to start; ended runs keep the default queue, which nothing reads)
UPDATE "runs" AS r SET "queue" = j."queue", "priority" = j."priority"
FROM "jobs" AS j WHERE r.job_id = j.id AND r.status IN ('QUEUED', 'RUNNING', 'CANCELLING');

-- CreateFunction
CREATE FUNCTION runs_take_job_queue() RETURNS TRIGGER AS $$
BEGIN
    SELECT j."queue", j."priority" INTO NEW."queue", NEW."priority" FROM "jobs" AS j WHERE j.id = NEW.job_id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- CreateTrigger
CREATE TRIGGER runs_take_job_queue BEFORE INSERT ON "runs"
FOR EACH ROW WHEN (NEW.parent_run_id IS NULL) EXECUTE FUNCTION runs_take_job_queue();

-- CreateIndex (the claim's order among queued top-level runs; only those are in it, so it stays small)
CREATE INDEX "runs_priority_created_at_id_idx" ON "runs"("priority" DESC, "created_at", "id")
WHERE status = 'QUEUED' AND parent_run_id IS NULL;

-- CreateIndex (running top-level runs per queue, counted by the claim for queues with a concurrency limit)
CREATE INDEX "runs_queue_idx" ON "runs"("queue") WHERE status IN ('RUNNING', 'CANCELLING') AND parent_run_id IS NULL;

-- CreateTable
CREATE TABLE "workers" (
    "id" TEXT NOT NULL,
    "all_queues" BOOLEAN NOT NULL DEFAULT true,
    "queues" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);
