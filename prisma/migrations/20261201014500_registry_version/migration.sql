-- CreateTable
CREATE TABLE "registry_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "registry_version_pkey" PRIMARY KEY ("id")
);

-- The one row the trigger counts in
INSERT INTO "registry_version" ("id", "version") VALUES (1, 0);

-- Every statement that changes subjects, whoever runs it, moves the version in its transaction.
-- The body is an escape string with \073 for its semicolons: the schema engine splits a script
-- at every semicolon, dollar quotes or not
CREATE FUNCTION "registry_version_bump"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "registry_version" SET "version" = "version" + 1 WHERE "id" = 1\073
  RETURN NULL\073
END
';

CREATE TRIGGER "subject_changed" AFTER INSERT OR UPDATE OR DELETE ON "subject"
    FOR EACH STATEMENT EXECUTE FUNCTION "registry_version_bump"();

CREATE TRIGGER "subject_truncated" AFTER TRUNCATE ON "subject"
    FOR EACH STATEMENT EXECUTE FUNCTION "registry_version_bump"();
