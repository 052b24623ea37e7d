-- The bump also announces the new version on the "registry_version" channel. A listener in the
-- same process as the database (PGlite) learns of it before the changing statement returns, and
-- keeps its search pages without reading the version per search. Notifications are sent at
-- commit, so a rolled-back change announces nothing. The body is an escape string with \073 for
-- its semicolons: the schema engine splits a script at every semicolon, dollar quotes or not
CREATE OR REPLACE FUNCTION "registry_version_bump"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  bumped bigint\073
BEGIN
  UPDATE "registry_version" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version" INTO bumped\073
  PERFORM pg_notify(''registry_version'', bumped::text)\073
  RETURN NULL\073
END
';
