-- The course vocabulary per course (issue 31): every lexeme of a course's chunks with the number of chunks containing
-- it, one row per course and lexeme. The materialized view of V3/V4 counted every course's chunks at every refresh:
-- 5.2 s at 200,000 chunks in 100 courses, after each course's ingest (docs/benchmarks.md, "A university on one
-- PostgreSQL"). Now ingest-service recounts the one course a run wrote (coursebot_refresh_vocabulary), in time
-- proportional to that course, and a search scoped to a course asks that course's words: "a name the course never
-- mentions" means this course, not any course of the database.
DROP MATERIALIZED VIEW course_vocabulary;

CREATE TABLE course_vocabulary (
    source text    NOT NULL,
    lexeme text    NOT NULL,
    chunks integer NOT NULL,
    -- The search looks a lexeme up in one course or in every course: the lexeme first.
    PRIMARY KEY (lexeme, source)
);

-- Recounts one course's lexemes (its chunks found through course_chunk's (source, page_url) index), or every
-- course's when called without one. One statement, one transaction: a search reads the previous counts until it
-- commits, never a half-written course.
CREATE FUNCTION coursebot_refresh_vocabulary(course text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    each_course text;
BEGIN
    IF course IS NULL THEN
        DELETE FROM ${flyway:defaultSchema}.course_vocabulary;
        FOR each_course IN SELECT DISTINCT source FROM ${flyway:defaultSchema}.course_chunk LOOP
            PERFORM ${flyway:defaultSchema}.coursebot_refresh_vocabulary(each_course);
        END LOOP;
        RETURN;
    END IF;
    DELETE FROM ${flyway:defaultSchema}.course_vocabulary WHERE source = course;
    -- The table is named with its schema inside ts_stat's query, which runs with the caller's search_path.
    INSERT INTO ${flyway:defaultSchema}.course_vocabulary (source, lexeme, chunks)
    SELECT course, word, ndoc
      FROM ts_stat(format('SELECT tsv FROM %I.course_chunk WHERE source = %L', '${flyway:defaultSchema}', course));
END
$$;

SELECT coursebot_refresh_vocabulary();

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${chat_role}') THEN
        EXECUTE format('GRANT SELECT ON course_vocabulary TO %I', '${chat_role}');
    END IF;
END
$$;

COMMENT ON TABLE course_chunk IS 'coursebot-schema:7';
