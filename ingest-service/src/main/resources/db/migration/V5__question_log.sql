-- What students ask (docs/insights.md): chat-service logs each answered question and the feedback on it, through a
-- role that may only INSERT here (${insights_role}); it reads them back for the staff's report with its read-only
-- role (${chat_role}). ingest-service, the owner, deletes what is older than coursebot.insights.retention.
-- New placeholder: insights_role (INSIGHTS_DB_ROLE in ingest-service, default coursebot_insights).

CREATE TABLE question_log (
    answer_id      uuid PRIMARY KEY,
    asked_at       timestamptz NOT NULL,
    -- Scrubbed before it is stored (QuestionScrubber): no e-mail address, phone number, long digit run or token.
    question       text NOT NULL,
    covered        boolean NOT NULL,
    mode           text NOT NULL,
    degraded       boolean NOT NULL,
    -- The coverage decision: its reason and signals (CoverageSignals), for "why was this not covered?".
    coverage       jsonb NOT NULL,
    top_similarity real,
    -- The sections the answer cited ([{"url", "title"}]) or, when not covered, the closest it suggested.
    cited          jsonb NOT NULL,
    latency_ms     integer NOT NULL,
    -- A keyed hash of the client's address whose key changes every day: repeat questions of one client within a
    -- day can be told apart from many clients asking, and nothing links a client across days or to an address.
    client_key     text NOT NULL,
    channel        text NOT NULL CHECK (channel IN ('api', 'v1')),
    source         text,
    space_id       integer,
    -- The question's vector in space_id (its dimension varies by space), for grouping similar questions.
    embedding      vector
);
CREATE INDEX question_log_asked_at_idx ON question_log (asked_at);
-- A vector (1.5-6 KB) is stored out of line without trying to compress it first: vectors do not compress, and
-- the try cost the database CPU on every row (insights-bench).
ALTER TABLE question_log ALTER COLUMN embedding SET STORAGE EXTERNAL;

-- Append-only: sending feedback twice on one answer adds a row, and the last one counts.
CREATE TABLE answer_feedback (
    id        uuid PRIMARY KEY,
    answer_id uuid NOT NULL,
    given_at  timestamptz NOT NULL,
    helpful   boolean NOT NULL,
    comment   text CHECK (length(comment) <= 500)
);
CREATE INDEX answer_feedback_answer_idx ON answer_feedback (answer_id, given_at DESC);
CREATE INDEX answer_feedback_given_at_idx ON answer_feedback (given_at);

REVOKE ALL ON question_log, answer_feedback FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${insights_role}') THEN
        EXECUTE format('GRANT INSERT ON question_log, answer_feedback TO %I', '${insights_role}');
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${chat_role}') THEN
        EXECUTE format('GRANT SELECT ON question_log, answer_feedback TO %I', '${chat_role}');
    END IF;
END
$$;

COMMENT ON TABLE course_chunk IS 'coursebot-schema:5';
