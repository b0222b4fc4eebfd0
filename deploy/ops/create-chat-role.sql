-- The read-only role chat-service connects with: SELECT on the chunks (course_chunk), the embedding spaces
-- (embedding_space) and each space's vectors (course_vector_<id>), the seed schema's course_content and
-- course_vocabulary, the question log (question_log, answer_feedback), EXECUTE on match_course_content, nothing else (the same grants as the migrations give when the role already exists
-- at migration time; on Render the database is created first, so this runs once after the first deploy).
-- Idempotent: re-running resets the password and re-applies exactly these grants.
--
--   CHAT_PASSWORD=$(openssl rand -hex 24)
--   psql "$EXTERNAL_DATABASE_URL" -v ON_ERROR_STOP=1 -v chat_password="$CHAT_PASSWORD" \
--        -f deploy/ops/create-chat-role.sql
--
-- Variables: chat_password (required), chat_role (default coursebot_chat, as CHAT_DB_ROLE in ingest-service).
\set ON_ERROR_STOP on
\if :{?chat_password}
\else
  \echo 'create-chat-role.sql: pass the password: psql ... -v chat_password=...'
  SELECT 1/0 AS chat_password_missing;
\endif
\if :{?chat_role}
\else
  \set chat_role coursebot_chat
\endif

SELECT format('CREATE ROLE %I LOGIN', :'chat_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'chat_role') \gexec

-- No inherited privileges, no DDL, no new databases or roles; every transaction read-only by default
-- as a second guard behind the grants.
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION PASSWORD %L',
              :'chat_role', :'chat_password') \gexec
SELECT format('ALTER ROLE %I SET default_transaction_read_only = on', :'chat_role') \gexec

-- Exactly the grants search needs; anything granted before on the tables is taken back first.
SELECT format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', :'chat_role') \gexec
SELECT format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', :'chat_role') \gexec
SELECT format('GRANT SELECT ON TABLE course_content TO %I', :'chat_role') \gexec
-- Schema 4 on. Spaces created later are granted to CHAT_DB_ROLE by ingest-service (coursebot_create_space_table).
SELECT format('GRANT SELECT ON TABLE %I TO %I', c.relname, :'chat_role')
  FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
   AND (c.relname IN ('course_chunk', 'embedding_space') OR c.relname ~ '^course_vector_[0-9]+$') \gexec
SELECT format('GRANT SELECT ON TABLE course_vocabulary TO %I', :'chat_role')
 WHERE to_regclass('course_vocabulary') IS NOT NULL \gexec -- schema 3 on; a restored older snapshot has none
SELECT format('GRANT EXECUTE ON FUNCTION match_course_content(vector, float, int) TO %I', :'chat_role') \gexec
-- Schema 5 on: the question log, read back for the staff's report (docs/insights.md); writing it is another role's
-- (create-insights-role.sql).
SELECT format('GRANT SELECT ON TABLE question_log, answer_feedback TO %I', :'chat_role')
 WHERE to_regclass('question_log') IS NOT NULL \gexec
-- Schema 9 on: the days' spend and refusals, for the same report (docs/limits.md).
SELECT format('GRANT SELECT ON TABLE limit_day, answer_spend TO %I', :'chat_role')
 WHERE to_regclass('answer_spend') IS NOT NULL \gexec
-- Schema 10 on: each course's policy for exercise requests (docs/exercises.md).
SELECT format('GRANT SELECT ON TABLE course_policy TO %I', :'chat_role')
 WHERE to_regclass('course_policy') IS NOT NULL \gexec

SELECT format('chat role %s ready in database %s', :'chat_role', current_database()) AS done;
