-- CreateTable
CREATE TABLE "clue_transfer" (
    "id" UUID NOT NULL,
    "subject_uscc" TEXT NOT NULL,
    "township_code" TEXT NOT NULL,
    "power_item_code" TEXT NOT NULL,
    "findings" TEXT NOT NULL,
    "evidence_refs" TEXT[],
    "inspection_id" TEXT,
    "sender_code" TEXT NOT NULL,
    "receiver_code" TEXT NOT NULL,
    "routed_by" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "received_on" TEXT NOT NULL,
    "answer_due_on" TEXT NOT NULL,
    "extended" BOOLEAN NOT NULL DEFAULT false,
    "answered_on" TEXT,
    "case_no" TEXT,
    "decision_no" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "clue_transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clue_transfer_step" (
    "id" UUID NOT NULL,
    "transfer_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "actor_subject" TEXT NOT NULL,
    "actor_authority_code" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "case_no" TEXT,
    "decision_no" TEXT,
    "note" TEXT,

    CONSTRAINT "clue_transfer_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transfer_idempotency_key" (
    "authority_code" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "transfer_id" UUID NOT NULL,
    "step_seq" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transfer_idempotency_key_pkey" PRIMARY KEY ("authority_code","key")
);

-- CreateTable
CREATE TABLE "clue_transfer_delivery" (
    "transfer_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "upstream_clue_id" TEXT,

    CONSTRAINT "clue_transfer_delivery_pkey" PRIMARY KEY ("transfer_id")
);

-- CreateIndex
CREATE INDEX "clue_transfer_sender_code_created_at_idx" ON "clue_transfer"("sender_code", "created_at");

-- CreateIndex
CREATE INDEX "clue_transfer_receiver_code_created_at_idx" ON "clue_transfer"("receiver_code", "created_at");

-- CreateIndex
CREATE INDEX "clue_transfer_subject_uscc_idx" ON "clue_transfer"("subject_uscc");

-- CreateIndex
CREATE INDEX "clue_transfer_status_answer_due_on_idx" ON "clue_transfer"("status", "answer_due_on");

-- CreateIndex
CREATE UNIQUE INDEX "clue_transfer_step_transfer_id_seq_key" ON "clue_transfer_step"("transfer_id", "seq");

-- CreateIndex
CREATE INDEX "clue_transfer_delivery_status_next_attempt_at_idx" ON "clue_transfer_delivery"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "clue_transfer_step" ADD CONSTRAINT "clue_transfer_step_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "clue_transfer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clue_transfer_delivery" ADD CONSTRAINT "clue_transfer_delivery_transfer_id_fkey" FOREIGN KEY ("transfer_id") REFERENCES "clue_transfer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
