-- AlterTable
ALTER TABLE "access_log" ADD COLUMN     "conditional_grants" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "sharing_grant" ADD COLUMN     "purpose_matters" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "purpose_prefixes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "roles" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Written by hand. A grant made before grants were bound to matters was made "for a stated
-- purpose": it now covers exactly that purpose, no longer any.
UPDATE "sharing_grant" SET "purpose_matters" = ARRAY["purpose"];
ALTER TABLE "sharing_grant" ADD CONSTRAINT "sharing_grant_bound_to_matters"
    CHECK (cardinality("purpose_matters") + cardinality("purpose_prefixes") > 0);
