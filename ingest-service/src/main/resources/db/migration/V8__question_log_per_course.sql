-- The staff's report of one course (/admin/insights?source=<course>) reads that course's questions of the period
-- through this index, in time proportional to them. Through question_log_asked_at_idx alone it read every course's
-- questions of the period and kept one course's: at 300,000 questions a month in 100 courses, one course's report
-- took longer than every course's (docs/benchmarks.md, "A university on one database").
CREATE INDEX question_log_source_asked_at_idx ON question_log (source, asked_at);

COMMENT ON TABLE course_chunk IS 'coursebot-schema:8';
