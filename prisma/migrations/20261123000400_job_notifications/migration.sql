-- Per-job notifications on run outcomes: what notifies and whom (on the job), and an outbox of deliveries that
-- the delivery loop sends and retries (see apps/server/src/services/notifications/).

-- CreateEnum
CREATE TYPE "NotificationOutcome" AS ENUM ('FAILED', 'TIMED_OUT', 'INTERRUPTED', 'PARTIALLY_SUCCEEDED', 'SUCCEEDED', 'RECOVERED');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('EMAIL', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "notify_emails" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "notify_on" "NotificationOutcome"[] DEFAULT ARRAY[]::"NotificationOutcome"[],
ADD COLUMN     "notify_webhooks" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "job_notify_users" (
    "job_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "job_notify_users_pkey" PRIMARY KEY ("job_id","user_id")
);

-- CreateTable
CREATE TABLE "job_notify_roles" (
    "job_id" UUID NOT NULL,
    "role_id" UUID NOT NULL,

    CONSTRAINT "job_notify_roles_pkey" PRIMARY KEY ("job_id","role_id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "outcome" "NotificationOutcome" NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_notify_users_user_id_idx" ON "job_notify_users"("user_id");

-- CreateIndex
CREATE INDEX "job_notify_roles_role_id_idx" ON "job_notify_roles"("role_id");

-- CreateIndex
CREATE INDEX "notification_deliveries_status_next_attempt_at_idx" ON "notification_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_job_id_created_at_idx" ON "notification_deliveries"("job_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_run_id_channel_recipient_key" ON "notification_deliveries"("run_id", "channel", "recipient");

-- AddForeignKey
ALTER TABLE "job_notify_users" ADD CONSTRAINT "job_notify_users_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_notify_users" ADD CONSTRAINT "job_notify_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_notify_roles" ADD CONSTRAINT "job_notify_roles_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_notify_roles" ADD CONSTRAINT "job_notify_roles_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
