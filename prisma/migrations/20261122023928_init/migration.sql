-- CreateTable
CREATE TABLE "subject" (
    "uscc" TEXT NOT NULL,
    "uscc_valid" BOOLEAN NOT NULL,
    "legacy_reg_no" TEXT,
    "name" TEXT NOT NULL,
    "township_code" TEXT,
    "county_code" TEXT,
    "sources" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "upstream_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "approval_updated_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subject_pkey" PRIMARY KEY ("uscc")
);

-- CreateTable
CREATE TABLE "sync_cursor" (
    "feed" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL,
    "records" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sync_cursor_pkey" PRIMARY KEY ("feed")
);

-- CreateIndex
CREATE UNIQUE INDEX "subject_legacy_reg_no_key" ON "subject"("legacy_reg_no");

-- CreateIndex
CREATE INDEX "subject_name_idx" ON "subject"("name");

-- CreateIndex
CREATE INDEX "subject_township_code_idx" ON "subject"("township_code");

-- CreateIndex
CREATE INDEX "subject_county_code_idx" ON "subject"("county_code");
