-- A job has any number of schedules, each with its own timing, bounds, run count, args override and enabled flag;
-- the job keeps only the earliest next slot of them (next_run_at). Every job's single schedule moves, in place, into
-- one row of job_schedules (a manual-only job gets none). A backfill runs a job's past slots as BACKFILL runs.

-- AlterEnum
ALTER TYPE "RunTrigger" ADD VALUE 'BACKFILL';

-- CreateTable
CREATE TABLE "job_schedules" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "schedule_kind" "ScheduleKind" NOT NULL,
    "cron" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "interval_seconds" INTEGER,
    "run_at" TIMESTAMPTZ(3),
    "start_at" TIMESTAMPTZ(3),
    "end_at" TIMESTAMPTZ(3),
    "run_limit" INTEGER,
    "run_count" INTEGER NOT NULL DEFAULT 0,
    "args" JSONB,
    "next_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backfills" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "range_start" TIMESTAMPTZ(3) NOT NULL,
    "range_end" TIMESTAMPTZ(3) NOT NULL,
    "slot_count" INTEGER NOT NULL,
    "started_by_id" UUID,
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backfills_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "runs" ADD COLUMN "schedule_id" UUID,
ADD COLUMN "backfill_id" UUID;

-- Move each job's schedule. A job that was disabled by its end or limit keeps that reason on its schedule too.
-- The id is a random UUID (the app's own are v7; either is a UUID). A job's next slot was its schedule's next slot.
INSERT INTO "job_schedules" ("id", "job_id", "position", "enabled", "disabled_reason", "schedule_kind", "cron",
  "timezone", "interval_seconds", "run_at", "start_at", "end_at", "run_limit", "run_count", "next_run_at",
  "created_at", "updated_at")
SELECT gen_random_uuid(), "id", 0, "disabled_reason" IS NULL, "disabled_reason", "schedule_kind", "cron",
  "timezone", "interval_seconds", "run_at", "start_at", "end_at", "run_limit", "run_count", "next_run_at",
  "created_at", CURRENT_TIMESTAMP
FROM "jobs"
WHERE "schedule_kind" <> 'MANUAL';

-- Runs a schedule made before point at that schedule (a job had one, so it made them all).
UPDATE "runs" AS r SET "schedule_id" = s."id"
FROM "job_schedules" AS s
WHERE r."job_id" = s."job_id" AND r."trigger" = 'SCHEDULE';

-- AlterTable
ALTER TABLE "jobs" DROP COLUMN "schedule_kind",
DROP COLUMN "cron",
DROP COLUMN "timezone",
DROP COLUMN "interval_seconds",
DROP COLUMN "run_at",
DROP COLUMN "start_at",
DROP COLUMN "end_at",
DROP COLUMN "run_limit",
DROP COLUMN "run_count";

-- CreateIndex
CREATE INDEX "job_schedules_job_id_position_idx" ON "job_schedules"("job_id", "position");

-- CreateIndex
CREATE INDEX "backfills_job_id_created_at_idx" ON "backfills"("job_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "runs_backfill_id_idx" ON "runs"("backfill_id");

-- AddForeignKey
ALTER TABLE "job_schedules" ADD CONSTRAINT "job_schedules_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backfills" ADD CONSTRAINT "backfills_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backfills" ADD CONSTRAINT "backfills_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "job_schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_backfill_id_fkey" FOREIGN KEY ("backfill_id") REFERENCES "backfills"("id") ON DELETE SET NULL ON UPDATE CASCADE;
