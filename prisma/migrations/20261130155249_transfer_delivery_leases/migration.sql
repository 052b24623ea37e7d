-- AlterTable
ALTER TABLE "clue_transfer_delivery" ADD COLUMN     "dead_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_attempt_at" TIMESTAMPTZ(3),
ADD COLUMN     "lease_token" UUID,
ADD COLUMN     "stalled_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "clue_transfer_delivery_status_dead_at_idx" ON "clue_transfer_delivery"("status", "dead_at");
