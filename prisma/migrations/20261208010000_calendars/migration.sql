-- Calendars (named sets of time windows in a timezone), the calendars a job attaches, what a slot they rule out
-- becomes, "pause until", and Sundial itself as an audit actor (the automatic resume).
CREATE TYPE "BlackoutPolicy" AS ENUM ('SKIP', 'MOVE');
CREATE TYPE "CalendarMode" AS ENUM ('ONLY_INSIDE', 'NEVER_INSIDE');
ALTER TYPE "AuditActorKind" ADD VALUE 'SYSTEM';

ALTER TABLE "jobs" ADD COLUMN "blackout_policy" "BlackoutPolicy" NOT NULL DEFAULT 'SKIP',
  ADD COLUMN "paused_until" TIMESTAMPTZ(3);
ALTER TABLE "job_schedules" ADD COLUMN "moved_from" TIMESTAMPTZ(3), ADD COLUMN "moved_reason" TEXT;

CREATE TABLE "calendars" (
  "id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "timezone" TEXT NOT NULL DEFAULT 'UTC',
  "blackout_for_all_jobs" BOOLEAN NOT NULL DEFAULT false,
  "entries" JSONB NOT NULL DEFAULT '[]',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "calendars_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "calendars_name_key" ON "calendars"("name");

CREATE TABLE "job_calendars" (
  "job_id" UUID NOT NULL,
  "calendar_id" UUID NOT NULL,
  "mode" "CalendarMode" NOT NULL,
  "position" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "job_calendars_pkey" PRIMARY KEY ("job_id", "calendar_id")
);
CREATE INDEX "job_calendars_calendar_id_idx" ON "job_calendars"("calendar_id");
ALTER TABLE "job_calendars" ADD CONSTRAINT "job_calendars_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "job_calendars" ADD CONSTRAINT "job_calendars_calendar_id_fkey" FOREIGN KEY ("calendar_id") REFERENCES "calendars"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
