-- AlterTable
ALTER TABLE "access_log" ADD COLUMN     "trace_id" TEXT;
