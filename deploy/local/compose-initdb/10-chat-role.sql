-- Runs once, when docker-compose's PostgreSQL volume is first initialised (docker-entrypoint-initdb.d),
-- before ingest-service migrates: the migration grants this role SELECT on course_content and EXECUTE on
-- match_course_content because it exists by then. A local-only password: the port is never published.
CREATE ROLE coursebot_chat LOGIN PASSWORD 'coursebot_chat' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
ALTER ROLE coursebot_chat SET default_transaction_read_only = on;
-- The role chat-service logs questions with: the migration grants it INSERT on question_log and answer_feedback,
-- nothing else (docs/insights.md).
CREATE ROLE coursebot_insights LOGIN PASSWORD 'coursebot_insights' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
