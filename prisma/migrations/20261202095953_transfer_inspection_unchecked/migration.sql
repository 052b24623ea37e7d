-- AlterTable
ALTER TABLE "clue_transfer" ADD COLUMN     "inspection_unchecked" TEXT;
