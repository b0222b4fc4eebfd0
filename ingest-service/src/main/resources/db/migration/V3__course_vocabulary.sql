-- Every lexeme of the course and the number of chunks containing it, for chat-service's coverage decision (does the
-- course ever use this word?). Counting a lexeme through the GIN index builds its whole posting list: 9-17 ms a
-- question on 20,000 chunks (docs/benchmarks.md, "Search in one statement"); a lookup here costs microseconds.
-- ingest-service refreshes it at the end of every run that wrote (ChunkRepository.refreshVocabulary), CONCURRENTLY
-- so searches never wait; until then it lags the content by one run's changes. The table is named with its schema
-- inside ts_stat's query: pg_restore refreshes the view with an empty search_path.
-- IF NOT EXISTS: restoring a snapshot taken before this migration (restore.sh --clean) leaves the view, which
-- records no dependency on course_content (its query is a string), while Flyway's history goes back to V2.
CREATE MATERIALIZED VIEW IF NOT EXISTS course_vocabulary AS
    SELECT word AS lexeme, ndoc AS chunks
      FROM ts_stat('SELECT tsv FROM ${flyway:defaultSchema}.course_content');

-- REFRESH ... CONCURRENTLY needs a unique index; the search joins on it.
CREATE UNIQUE INDEX IF NOT EXISTS course_vocabulary_lexeme_idx ON course_vocabulary (lexeme);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${chat_role}') THEN
        EXECUTE format('GRANT SELECT ON course_vocabulary TO %I', '${chat_role}');
    END IF;
END
$$;

COMMENT ON TABLE course_content IS 'coursebot-schema:3';
