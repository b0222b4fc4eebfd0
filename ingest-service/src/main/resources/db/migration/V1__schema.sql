-- Coursebot schema, version 1. Placeholders (quarkus.flyway.placeholders.*):
--   embedding_dimension   384 for the local all-MiniLM-L6-v2, 1536 for OpenAI's text-embedding-3-small / ada-002
--   chat_role             the read-only role chat-service connects with (granted only when it exists)
--   text_search_config    the PostgreSQL text search configuration of the course's language

CREATE EXTENSION IF NOT EXISTS vector;

-- The seed columns (id .. embedding) are kept so that existing clients keep working; the rest is what
-- incremental, citable ingestion needs.
CREATE TABLE course_content (
    id              uuid PRIMARY KEY,
    title           text NOT NULL,
    content         text NOT NULL,
    url             text NOT NULL,
    content_type    text NOT NULL CHECK (content_type IN ('page', 'section', 'subsection', 'exercise', 'code')),
    part_id         text,
    module_id       text,
    parent_id       uuid REFERENCES course_content (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    importance      real NOT NULL DEFAULT 1.0,
    embedding       vector(${embedding_dimension}) NOT NULL,
    source          text NOT NULL,
    page_url        text NOT NULL,
    position        integer NOT NULL,
    heading_path    text NOT NULL,
    content_hash    text NOT NULL,
    embedding_model text NOT NULL,
    tsv             tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('${text_search_config}', heading_path), 'A')
                        || setweight(to_tsvector('${text_search_config}', content), 'B')) STORED,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- HNSW, not IVFFlat: an IVFFlat index built on an empty table has poor recall until rebuilt.
CREATE INDEX course_content_embedding_idx ON course_content USING hnsw (embedding vector_cosine_ops);
CREATE INDEX course_content_tsv_idx ON course_content USING gin (tsv);
CREATE INDEX course_content_page_idx ON course_content (source, page_url);
CREATE INDEX course_content_parent_idx ON course_content (parent_id);

CREATE TABLE page (
    source        text NOT NULL,
    url           text NOT NULL,
    etag          text,
    last_modified text,
    content_hash  text,
    last_seen     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, url)
);

CREATE TABLE ingest_run (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source             text NOT NULL,
    trigger            text NOT NULL CHECK (trigger IN ('schedule', 'admin', 'startup')),
    dry_run            boolean NOT NULL DEFAULT false,
    status             text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    started            timestamptz NOT NULL DEFAULT now(),
    finished           timestamptz,
    pages_discovered   integer NOT NULL DEFAULT 0,
    pages_seen         integer NOT NULL DEFAULT 0,
    pages_unchanged    integer NOT NULL DEFAULT 0,
    pages_changed      integer NOT NULL DEFAULT 0,
    pages_new          integer NOT NULL DEFAULT 0,
    pages_gone         integer NOT NULL DEFAULT 0,
    pages_failed       integer NOT NULL DEFAULT 0,
    chunks_embedded    integer NOT NULL DEFAULT 0,
    chunks_deleted     integer NOT NULL DEFAULT 0,
    embedding_requests integer NOT NULL DEFAULT 0,
    tokens             bigint NOT NULL DEFAULT 0,
    estimated_cost_usd numeric(12, 6) NOT NULL DEFAULT 0,
    errors             jsonb NOT NULL DEFAULT '[]'::jsonb
);

CREATE INDEX ingest_run_started_idx ON ingest_run (started DESC);

-- The signature and result columns the old clients call. The old body filtered on the similarity
-- expression before ordering, which no index can serve (a sequential scan); ordering by the distance
-- operator with a LIMIT lets the planner use HNSW, and the threshold is applied to those k rows after.
-- LANGUAGE sql + STABLE keeps the function inlinable, so the index shows in the caller's EXPLAIN.
CREATE FUNCTION match_course_content(query_embedding vector(${embedding_dimension}),
                                     match_threshold float,
                                     match_count int)
RETURNS TABLE (id uuid, title text, content text, url text, content_type text, similarity float)
LANGUAGE sql STABLE
AS $$
    SELECT nearest.id, nearest.title, nearest.content, nearest.url, nearest.content_type, nearest.similarity
      FROM (SELECT c.id, c.title, c.content, c.url, c.content_type,
                   1 - (c.embedding <=> query_embedding) AS similarity
              FROM course_content c
             ORDER BY c.embedding <=> query_embedding
             LIMIT match_count) AS nearest
     WHERE nearest.similarity > match_threshold
     ORDER BY nearest.similarity DESC
$$;

REVOKE ALL ON FUNCTION match_course_content(vector, float, int) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${chat_role}') THEN
        EXECUTE format('GRANT SELECT ON course_content TO %I', '${chat_role}');
        EXECUTE format('GRANT EXECUTE ON FUNCTION match_course_content(vector, float, int) TO %I', '${chat_role}');
    END IF;
END
$$;

-- Read by both services' readiness checks (org.coursebot.model.SchemaVersion); every migration updates it.
COMMENT ON TABLE course_content IS 'coursebot-schema:1';
