-- Inbound webhooks: a job's hook (its public id and its secret, hashed and sealed) and the deliveries it answered,
-- whose (job, idempotency key) is unique (see apps/server/src/services/webhooks/).

-- AlterEnum
ALTER TYPE "RunTrigger" ADD VALUE 'WEBHOOK';

-- CreateTable
CREATE TABLE "job_webhooks" (
    "job_id" UUID NOT NULL,
    "public_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret_hash" TEXT NOT NULL,
    "secret_sealed" TEXT,
    "previous_secret_hash" TEXT,
    "previous_secret_sealed" TEXT,
    "previous_valid_until" TIMESTAMPTZ(3),
    "secret_rotated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_webhooks_pkey" PRIMARY KEY ("job_id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" INTEGER NOT NULL,
    "idempotency_key" TEXT,
    "run_id" UUID,
    "error" TEXT,
    "ip" TEXT,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "job_webhooks_public_id_key" ON "job_webhooks"("public_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_job_id_idempotency_key_key" ON "webhook_deliveries"("job_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "webhook_deliveries_job_id_received_at_idx" ON "webhook_deliveries"("job_id", "received_at" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_run_id_idx" ON "webhook_deliveries"("run_id");

-- AddForeignKey
ALTER TABLE "job_webhooks" ADD CONSTRAINT "job_webhooks_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
