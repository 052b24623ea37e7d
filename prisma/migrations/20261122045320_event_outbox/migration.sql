-- CreateTable
CREATE TABLE "event_subscription" (
    "id" UUID NOT NULL,
    "authority_code" TEXT NOT NULL,
    "kinds" TEXT[],
    "webhook_url" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_by" TEXT,

    CONSTRAINT "event_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_outbox" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_uscc" TEXT NOT NULL,
    "concerns" TEXT[],
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_delivery" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "subject_uscc" TEXT NOT NULL,
    "event_seq" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "lease_token" UUID,
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "dead_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "event_subscription_authority_code_idx" ON "event_subscription"("authority_code");

-- CreateIndex
CREATE UNIQUE INDEX "event_outbox_seq_key" ON "event_outbox"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "event_outbox_dedupe_key_key" ON "event_outbox"("dedupe_key");

-- CreateIndex
CREATE INDEX "event_outbox_subject_uscc_seq_idx" ON "event_outbox"("subject_uscc", "seq");

-- CreateIndex
CREATE INDEX "event_delivery_status_next_attempt_at_idx" ON "event_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "event_delivery_subscription_id_subject_uscc_status_event_se_idx" ON "event_delivery"("subscription_id", "subject_uscc", "status", "event_seq");

-- CreateIndex
CREATE INDEX "event_delivery_status_dead_at_idx" ON "event_delivery"("status", "dead_at");

-- CreateIndex
CREATE UNIQUE INDEX "event_delivery_subscription_id_event_id_key" ON "event_delivery"("subscription_id", "event_id");

-- AddForeignKey
ALTER TABLE "event_delivery" ADD CONSTRAINT "event_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event_outbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_delivery" ADD CONSTRAINT "event_delivery_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "event_subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Statuses the dispatcher understands (anything else would be stuck for ever).
ALTER TABLE "event_delivery" ADD CONSTRAINT "event_delivery_status_check" CHECK ("status" IN ('PENDING', 'DELIVERED', 'DEAD'));
