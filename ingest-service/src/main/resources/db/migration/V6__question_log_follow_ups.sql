-- Follow-ups (issue 29): a question asked in a conversation is searched with what it means there, the earlier
-- questions it leans on joined before it, or the standalone question the chat model rewrote it as. The log keeps that
-- search, so the staff's report groups and shows "and how do I send it back?" as what it asked.
ALTER TABLE question_log
    -- What was searched, scrubbed as the question is (QuestionScrubber); null when the question was searched alone.
    ADD COLUMN searched_for text,
    -- Whether the question leaned on the conversation (then searched_for is set).
    ADD COLUMN follow_up boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT question_log_follow_up_searched CHECK (follow_up = (searched_for IS NOT NULL));

COMMENT ON TABLE course_chunk IS 'coursebot-schema:6';
