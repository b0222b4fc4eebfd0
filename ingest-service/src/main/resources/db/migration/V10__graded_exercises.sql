-- Graded exercises (issue 35, docs/exercises.md). What each course's staff chose for requests for an exercise's
-- solution (coursebot.sources."<name>".exercises: guide, the default, or open), written by ingest-service when it
-- starts and read by chat-service, which cannot read ingest's configuration; and, in the question log, which
-- exercise a question asked the solution of, for the staff's report.
CREATE TABLE course_policy (
    source     text PRIMARY KEY,
    exercises  text NOT NULL CHECK (exercises IN ('guide', 'open')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- chat-service reads the exercises often (every few seconds when asked): a small index, whatever the course's size.
CREATE INDEX course_chunk_exercise_idx ON course_chunk (source, page_url) WHERE content_type = 'exercise';

-- An exercise's heading as the course has it ("Exercise 2.6: constraint errors"): course text, never the student's.
-- exercise_request without exercise: a request for "the exercises' answers", no exercise in particular.
ALTER TABLE question_log ADD COLUMN exercise_request boolean NOT NULL DEFAULT false,
                         ADD COLUMN exercise text;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${chat_role}') THEN
        EXECUTE format('GRANT SELECT ON course_policy TO %I', '${chat_role}');
    END IF;
END
$$;

COMMENT ON TABLE course_chunk IS 'coursebot-schema:10';
