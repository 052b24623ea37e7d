-- CreateTable
CREATE TABLE "sharing_grant" (
    "id" UUID NOT NULL,
    "owner_system" TEXT NOT NULL,
    "consumer_authority_code" TEXT,
    "consumer_authority_kind" TEXT,
    "fields" TEXT[],
    "purpose" TEXT NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" TEXT,
    "revoke_reason" TEXT,

    CONSTRAINT "sharing_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_log" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "caller_subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "authority_code" TEXT NOT NULL,
    "roles" TEXT[],
    "purpose" TEXT,
    "operation_name" TEXT,
    "query_hash" TEXT NOT NULL,
    "subjects" TEXT[],
    "conditional_fields" TEXT[],
    "not_shared_fields" TEXT[],
    "denied_fields" TEXT[],
    "outcome" TEXT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "access_log_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "sharing_grant_consumer_authority_code_valid_until_idx" ON "sharing_grant"("consumer_authority_code", "valid_until");

-- CreateIndex
CREATE INDEX "sharing_grant_consumer_authority_kind_valid_until_idx" ON "sharing_grant"("consumer_authority_kind", "valid_until");

-- CreateIndex
CREATE INDEX "sharing_grant_created_at_idx" ON "sharing_grant"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "access_log_prev_hash_key" ON "access_log"("prev_hash");

-- CreateIndex
CREATE INDEX "access_log_subjects_idx" ON "access_log" USING GIN ("subjects");

-- CreateIndex
CREATE INDEX "access_log_authority_code_seq_idx" ON "access_log"("authority_code", "seq");

-- CreateIndex
CREATE INDEX "access_log_at_idx" ON "access_log"("at");

-- Checks Prisma cannot declare in schema.prisma (written by hand).
-- A grant names its consumer by authority code or by authority kind, never both, never neither.
ALTER TABLE "sharing_grant" ADD CONSTRAINT "sharing_grant_one_consumer"
    CHECK (("consumer_authority_code" IS NULL) <> ("consumer_authority_kind" IS NULL));
ALTER TABLE "sharing_grant" ADD CONSTRAINT "sharing_grant_owner_system"
    CHECK ("owner_system" IN ('approval', 'supervision', 'enforcement', 'credit'));
ALTER TABLE "sharing_grant" ADD CONSTRAINT "sharing_grant_validity"
    CHECK ("valid_until" > "valid_from");
ALTER TABLE "sharing_grant" ADD CONSTRAINT "sharing_grant_fields"
    CHECK (cardinality("fields") > 0);
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_seq_positive" CHECK ("seq" > 0);
