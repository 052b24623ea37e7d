-- AlterTable
ALTER TABLE "access_log" ADD COLUMN     "client_address" TEXT,
ADD COLUMN     "hash_version" SMALLINT NOT NULL DEFAULT 1,
ADD COLUMN     "reason" TEXT;

-- Entries written before this migration keep hash version 1 (the default) and still verify.
