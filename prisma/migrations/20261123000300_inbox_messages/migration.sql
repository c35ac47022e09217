-- The in-app inbox: messages the notify.users action stores for a user, read (and marked read) by that user only.

-- CreateTable
CREATE TABLE "inbox_messages" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "run_id" UUID,
    "job_id" UUID,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbox_messages_user_id_created_at_idx" ON "inbox_messages"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "inbox_messages_user_id_read_at_idx" ON "inbox_messages"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "inbox_messages_run_id_idx" ON "inbox_messages"("run_id");

-- CreateIndex
CREATE INDEX "inbox_messages_job_id_idx" ON "inbox_messages"("job_id");

-- AddForeignKey
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
