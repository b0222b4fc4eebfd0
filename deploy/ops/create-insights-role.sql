-- The role chat-service logs questions and feedback with (docs/insights.md): INSERT on question_log and
-- answer_feedback, and the shared limits' functions (docs/limits.md), nothing else: it cannot read the log back, nor
-- read or change the course. The migrations grant the
-- same when the role already exists at migration time; on Render the database is created first, so this runs once
-- after the first deploy, like create-chat-role.sql. Idempotent: re-running resets the password and the grants.
--
--   INSIGHTS_PASSWORD=$(openssl rand -hex 24)
--   psql "$EXTERNAL_DATABASE_URL" -v ON_ERROR_STOP=1 -v insights_password="$INSIGHTS_PASSWORD" \
--        -f deploy/ops/create-insights-role.sql
--
-- then set chat-service's INSIGHTS_DATABASE_URL to postgresql://coursebot_insights:<password>@<host>/<database>.
-- Variables: insights_password (required), insights_role (default coursebot_insights, as INSIGHTS_DB_ROLE in
-- ingest-service).
\set ON_ERROR_STOP on
\if :{?insights_password}
\else
  \echo 'create-insights-role.sql: pass the password: psql ... -v insights_password=...'
  SELECT 1/0 AS insights_password_missing;
\endif
\if :{?insights_role}
\else
  \set insights_role coursebot_insights
\endif

SELECT format('CREATE ROLE %I LOGIN', :'insights_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'insights_role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION PASSWORD %L',
              :'insights_role', :'insights_password') \gexec

SELECT format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', :'insights_role') \gexec
SELECT format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', :'insights_role') \gexec
SELECT format('GRANT INSERT ON TABLE question_log, answer_feedback TO %I', :'insights_role') \gexec
-- Schema 9 on: the limits and budgets every chat-service instance shares (docs/limits.md), only through their functions.
SELECT format('GRANT EXECUTE ON FUNCTION coursebot_take_token(text, integer, integer), '
              'coursebot_forget_idle_buckets(interval), coursebot_reserve_spend(text, numeric, numeric), '
              'coursebot_settle_spend(date, text, numeric) TO %I', :'insights_role')
 WHERE to_regproc('coursebot_take_token') IS NOT NULL \gexec

SELECT format('insights role %s ready in database %s', :'insights_role', current_database()) AS done;
