-- CreateTable
CREATE TABLE "loop_permit" (
    "permit_no" TEXT NOT NULL,
    "holder_uscc" TEXT NOT NULL,
    "item_code" TEXT NOT NULL,
    "item_name" TEXT NOT NULL,
    "issuer_code" TEXT NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE,
    "status" TEXT NOT NULL,
    "commitment_based" BOOLEAN NOT NULL,
    "verification_due_on" DATE,
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loop_permit_pkey" PRIMARY KEY ("permit_no")
);

-- CreateTable
CREATE TABLE "loop_inspection" (
    "id" TEXT NOT NULL,
    "subject_code" TEXT NOT NULL,
    "subject_code_kind" TEXT NOT NULL,
    "permit_no" TEXT,
    "kind" TEXT NOT NULL,
    "inspected_on" DATE NOT NULL,
    "lead_authority_code" TEXT NOT NULL,
    "authority_codes" TEXT[],
    "township_code" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loop_inspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loop_clue" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "inspection_id" TEXT,
    "subject_uscc" TEXT NOT NULL,
    "power_item_code" TEXT NOT NULL,
    "sender_code" TEXT NOT NULL,
    "receiver_code" TEXT NOT NULL,
    "township_code" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "responded_at" TIMESTAMPTZ(3),
    "answer_due_on" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "case_no" TEXT,
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loop_clue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loop_case" (
    "case_no" TEXT NOT NULL,
    "clue_id" TEXT,
    "subject_uscc" TEXT NOT NULL,
    "power_item_code" TEXT NOT NULL,
    "authority_code" TEXT NOT NULL,
    "township_code" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lenient_handling" TEXT NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loop_case_pkey" PRIMARY KEY ("case_no")
);

-- CreateTable
CREATE TABLE "loop_penalty" (
    "decision_no" TEXT NOT NULL,
    "case_no" TEXT NOT NULL,
    "subject_uscc" TEXT NOT NULL,
    "kinds" TEXT[],
    "affected_permit_no" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "publication_due_on" DATE NOT NULL,
    "execution_status" TEXT NOT NULL,
    "executed_at" TIMESTAMPTZ(3),
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loop_penalty_pkey" PRIMARY KEY ("decision_no")
);

-- CreateTable
CREATE TABLE "loop_credit_record" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_uscc" TEXT NOT NULL,
    "decision_no" TEXT,
    "authority_name" TEXT NOT NULL,
    "published_on" DATE NOT NULL,
    "publicity_ends_on" DATE,
    "status" TEXT NOT NULL,
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "loop_credit_record_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "loop_permit_holder_uscc_idx" ON "loop_permit"("holder_uscc");

-- CreateIndex
CREATE INDEX "loop_permit_verification_due_on_idx" ON "loop_permit"("verification_due_on");

-- CreateIndex
CREATE INDEX "loop_inspection_subject_code_idx" ON "loop_inspection"("subject_code");

-- CreateIndex
CREATE INDEX "loop_inspection_permit_no_idx" ON "loop_inspection"("permit_no");

-- CreateIndex
CREATE INDEX "loop_inspection_outcome_idx" ON "loop_inspection"("outcome");

-- CreateIndex
CREATE INDEX "loop_clue_inspection_id_idx" ON "loop_clue"("inspection_id");

-- CreateIndex
CREATE INDEX "loop_clue_subject_uscc_idx" ON "loop_clue"("subject_uscc");

-- CreateIndex
CREATE INDEX "loop_clue_receiver_code_received_at_idx" ON "loop_clue"("receiver_code", "received_at");

-- CreateIndex
CREATE INDEX "loop_clue_status_answer_due_on_idx" ON "loop_clue"("status", "answer_due_on");

-- CreateIndex
CREATE INDEX "loop_case_clue_id_idx" ON "loop_case"("clue_id");

-- CreateIndex
CREATE INDEX "loop_case_subject_uscc_idx" ON "loop_case"("subject_uscc");

-- CreateIndex
CREATE INDEX "loop_case_township_code_filed_at_idx" ON "loop_case"("township_code", "filed_at");

-- CreateIndex
CREATE INDEX "loop_penalty_case_no_idx" ON "loop_penalty"("case_no");

-- CreateIndex
CREATE INDEX "loop_penalty_subject_uscc_idx" ON "loop_penalty"("subject_uscc");

-- CreateIndex
CREATE INDEX "loop_penalty_affected_permit_no_idx" ON "loop_penalty"("affected_permit_no");

-- CreateIndex
CREATE INDEX "loop_credit_record_decision_no_idx" ON "loop_credit_record"("decision_no");

-- CreateIndex
CREATE INDEX "loop_credit_record_subject_uscc_idx" ON "loop_credit_record"("subject_uscc");

-- CreateIndex
CREATE INDEX "loop_credit_record_status_publicity_ends_on_idx" ON "loop_credit_record"("status", "publicity_ends_on");
