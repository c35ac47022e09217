-- Chains: a job's follow-ups (when its run ends so, start another job) and each run's lineage (which run's ending
-- started it). See apps/server/src/services/chains.ts and apps/server/src/db/sql/runs/follow-ups.ts.

-- AlterEnum
ALTER TYPE "RunTrigger" ADD VALUE 'CHAIN';

-- CreateEnum
CREATE TYPE "FollowUpOn" AS ENUM ('SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'ANY');

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "caused_by_run_id" UUID,
ADD COLUMN     "chain_depth" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "follow_up_id" UUID;

-- CreateTable
CREATE TABLE "job_follow_ups" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "follow_up_job_id" UUID NOT NULL,
    "on" "FollowUpOn" NOT NULL,
    "args_mapping" JSONB NOT NULL DEFAULT '[]',
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_follow_ups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_follow_ups_follow_up_job_id_idx" ON "job_follow_ups"("follow_up_job_id");

-- CreateIndex
CREATE UNIQUE INDEX "job_follow_ups_job_id_position_key" ON "job_follow_ups"("job_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "runs_caused_by_run_id_follow_up_id_key" ON "runs"("caused_by_run_id", "follow_up_id");

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_caused_by_run_id_fkey" FOREIGN KEY ("caused_by_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "job_follow_ups"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_follow_ups" ADD CONSTRAINT "job_follow_ups_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_follow_ups" ADD CONSTRAINT "job_follow_ups_follow_up_job_id_fkey" FOREIGN KEY ("follow_up_job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
