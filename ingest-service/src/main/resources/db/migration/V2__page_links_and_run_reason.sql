-- A page's outgoing links, stored with it: a page that answers 304 is not parsed, and the next crawl follows
-- these instead, so pages linked only from it are still found (e.g. after a run killed before reaching them).
ALTER TABLE page ADD COLUMN links text[] NOT NULL DEFAULT '{}';

-- Why a run failed, was cancelled or died, apart from its per-page errors; and how many embedding requests it
-- repeated after a failure (429, 5xx, timeouts, resets).
ALTER TABLE ingest_run ADD COLUMN reason text,
                       ADD COLUMN embedding_retries integer NOT NULL DEFAULT 0;

COMMENT ON TABLE course_content IS 'coursebot-schema:2';
