-- AlterTable
ALTER TABLE "sharing_grant" ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'DIRECT',
ADD COLUMN     "sharing_request_id" UUID;

-- CreateTable
CREATE TABLE "sharing_request" (
    "id" UUID NOT NULL,
    "consumer_authority_code" TEXT NOT NULL,
    "consumer_authority_kind" TEXT NOT NULL,
    "owner_system" TEXT NOT NULL,
    "owner_authority_code" TEXT NOT NULL,
    "fields" TEXT[],
    "purpose" TEXT NOT NULL,
    "matters" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "matter_prefixes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "legal_basis" TEXT NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_by" TEXT NOT NULL,
    "answer_due_on" TEXT NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "answered_by" TEXT,
    "granted_fields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "answer_reason" TEXT,
    "grant_id" UUID,

    CONSTRAINT "sharing_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sharing_request_step" (
    "request_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "authority_code" TEXT NOT NULL,
    "reason" TEXT,
    "fields" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "sharing_request_step_pkey" PRIMARY KEY ("request_id","seq")
);

-- CreateIndex
CREATE INDEX "sharing_request_owner_authority_code_status_answer_due_on_idx" ON "sharing_request"("owner_authority_code", "status", "answer_due_on");

-- CreateIndex
CREATE INDEX "sharing_request_consumer_authority_code_submitted_at_idx" ON "sharing_request"("consumer_authority_code", "submitted_at");

-- CreateIndex
CREATE UNIQUE INDEX "sharing_grant_sharing_request_id_key" ON "sharing_grant"("sharing_request_id");

-- AddForeignKey
ALTER TABLE "sharing_request_step" ADD CONSTRAINT "sharing_request_step_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "sharing_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand.
ALTER TABLE "sharing_grant" ADD CONSTRAINT "sharing_grant_origin"
    CHECK (("origin" = 'DIRECT' AND "sharing_request_id" IS NULL) OR ("origin" = 'SHARING_REQUEST' AND "sharing_request_id" IS NOT NULL));
ALTER TABLE "sharing_request" ADD CONSTRAINT "sharing_request_status"
    CHECK ("status" IN ('PENDING', 'APPROVED', 'PARTIALLY_APPROVED', 'REJECTED'));
ALTER TABLE "sharing_request" ADD CONSTRAINT "sharing_request_answered"
    CHECK (("status" = 'PENDING') = ("answered_at" IS NULL));
ALTER TABLE "sharing_request" ADD CONSTRAINT "sharing_request_rejection_reason"
    CHECK ("status" <> 'REJECTED' OR "answer_reason" IS NOT NULL);
