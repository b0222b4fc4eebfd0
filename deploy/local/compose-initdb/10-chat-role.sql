-- Runs once, when docker-compose's PostgreSQL volume is first initialised (docker-entrypoint-initdb.d),
-- before ingest-service migrates: the migration grants this role SELECT on course_content and EXECUTE on
-- match_course_content because it exists by then. A local-only password: the port is never published.
CREATE ROLE coursebot_chat LOGIN PASSWORD 'coursebot_chat' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
ALTER ROLE coursebot_chat SET default_transaction_read_only = on;
