package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.model.SearchHit;
import org.coursebot.model.StoredSpace;

/**
 * The SQL of search: one statement per embedding space, one round trip per question. Read-only.
 *
 * <p>{@code hnsw.ef_search} and {@code hnsw.iterative_scan} are set once per connection ({@link SearchPoolCreator}),
 * not per question: a per-question {@code SET LOCAL} needs a transaction, three round trips more.
 */
@ApplicationScoped
public class SearchRepository {

    /**
     * Nearest neighbours (HNSW: ORDER BY the distance operator with a LIMIT) and full-text matches (GIN), their
     * reciprocal rank fusion over the chunks that clear the threshold (a full-text match may sit
     * {@code full-text-margin} below it), one row per section (a long section's chunks joined in page order);
     * besides, the sections nearest to the question whatever their similarity, whether the nearest one is among
     * the first three full-text sections, and the question's terms with the number of chunks containing each
     * ({@code course_vocabulary}: in the searched course, or in every course).
     *
     * <p>Ties keep the order of the lists: a chunk first seen in the vector ranking before one only in the full-text
     * ranking, each list in its own order. Without a question vector ($1 null) the vector ranking is empty and
     * full-text matches count whatever their (unknown) similarity. Parameters: see {@link SearchQuery#parameters}.
     *
     * <p>A template: {@code {vectors}} stands for the searched space's vector table ({@link #statement}), so that
     * a question's vector is only ever compared with vectors of its space; {@code {nearest}} for how its nearest
     * chunks are found: {@link #NEAREST_BY_GRAPH} or {@link #NEAREST_IN_COURSE}.
     */
    static final String SEARCH_TEMPLATE = """
            WITH nearest AS MATERIALIZED (
                SELECT id, title, url, content, content_type, part_id, module_id, page_url, heading_path, position,
                       1 - distance AS similarity, row_number() OVER () AS rank
                  FROM ({nearest}) AS by_distance
            ), full_text AS MATERIALIZED (
                -- The vectors of the LIMIT's rows only, for their similarity: joined below it, every match's vector
                -- would be read. Ranked before the join, which need not keep the rows' order.
                SELECT t.id, t.title, t.url, t.content, t.content_type, t.part_id, t.module_id, t.page_url,
                       t.heading_path, t.position, 1 - (v.embedding <=> $1::real[]::vector) AS similarity, t.rank
                  FROM (SELECT *, row_number() OVER () AS rank
                          FROM (SELECT id, title, url, content, content_type, part_id, module_id, page_url,
                                       heading_path, position
                                  FROM course_chunk, websearch_to_tsquery($2::regconfig, $3::text) AS query
                                 WHERE $9::boolean AND tsv @@ query AND ($12::text IS NULL OR source = $12::text)
                                 ORDER BY ts_rank_cd(tsv, query) DESC
                                 LIMIT $4::int) AS by_text_rank) AS t
                  LEFT JOIN {vectors} v ON v.id = t.id
            ), fused AS (
                SELECT id, sum(1::float8 / ($7::int + rank)) AS score, min(seen) AS seen
                  FROM (SELECT id, rank, rank AS seen FROM nearest WHERE similarity >= $5::float8
                        UNION ALL
                        SELECT id, rank, $4::int + rank FROM full_text
                         WHERE similarity IS NULL OR similarity >= $5::float8 - $6::float8) AS eligible
                 GROUP BY id
            ), chunks AS (
                -- The chunks come with their lists: no second visit to course_chunk (in a generic plan that join
                -- is a scan of the whole table).
                SELECT DISTINCT ON (id) * FROM (SELECT * FROM nearest UNION ALL SELECT * FROM full_text) AS both_lists
            ), parts AS (
                SELECT 'hit' AS list, row_number() OVER (ORDER BY f.score DESC, f.seen) AS ord, c.*
                  FROM fused f JOIN chunks c ON c.id = f.id
                UNION ALL
                SELECT 'closest', rank, * FROM nearest
            ), sections AS (
                SELECT list, min(ord) AS best, max(similarity) AS similarity,
                       string_agg(content, E'\\n\\n' ORDER BY position, ord) AS content,
                       row_number() OVER (PARTITION BY list ORDER BY min(ord)) AS section_rank
                  FROM parts
                 GROUP BY list, page_url, heading_path
            ), agreement AS (
                SELECT EXISTS (SELECT FROM (SELECT page_url, heading_path FROM full_text
                                             GROUP BY page_url, heading_path ORDER BY min(rank) LIMIT 3) AS top
                                     JOIN nearest n ON n.rank = 1 AND n.page_url = top.page_url
                                                   AND n.heading_path = top.heading_path) AS agrees
            ), terms AS (
                -- Counted in the searched course, or in every course when none is given.
                SELECT t.name, t.lexeme,
                       coalesce((SELECT sum(v.chunks) FROM course_vocabulary v
                                  WHERE v.lexeme = t.lexeme AND ($12::text IS NULL OR v.source = $12::text)), 0)::int AS chunks,
                       row_number() OVER (ORDER BY t.o1, t.o2) AS ord
                  FROM (SELECT NULL::text AS name, lexeme, 0::bigint AS o1, o2
                          FROM unnest(tsvector_to_array(to_tsvector($2::regconfig, $13::text))) WITH ORDINALITY AS l (lexeme, o2)
                        UNION ALL
                        SELECT name, lexeme, o1, o2
                          FROM unnest($10::text[]) WITH ORDINALITY AS n (name, o1),
                               unnest(tsvector_to_array(to_tsvector($2::regconfig, name))) WITH ORDINALITY AS l (lexeme, o2)
                       ) AS t
            )
            SELECT s.list AS kind, s.section_rank AS rank, p.id, p.title, p.url, s.content, p.content_type, p.part_id,
                   p.module_id, s.similarity, NULL::text AS name, NULL::text AS lexeme, NULL::int AS chunks,
                   (SELECT agrees FROM agreement) AS agrees
              FROM sections s JOIN parts p ON p.list = s.list AND p.ord = s.best
             WHERE s.section_rank <= CASE s.list WHEN 'hit' THEN $8::int ELSE $11::int END
            UNION ALL
            SELECT 'term', ord, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, name, lexeme, chunks, NULL
              FROM terms
             ORDER BY kind, rank
            """;

    /**
     * The nearest chunks by the space's HNSW index: over every course, or in one course, walking the graph of every
     * course (hnsw.iterative_scan, SearchPoolCreator) until enough chunks of that course have turned up. Costs about
     * the same whatever the database holds, for every course or for one whose chunks lie near the question.
     */
    static final String NEAREST_BY_GRAPH = """
            SELECT c.id, c.title, c.url, c.content, c.content_type, c.part_id, c.module_id, c.page_url,
                   c.heading_path, c.position, v.embedding <=> $1::real[]::vector AS distance
              FROM {vectors} v JOIN course_chunk c ON c.id = v.id
             WHERE $1::real[]::vector IS NOT NULL AND ($12::text IS NULL OR c.source = $12::text)
             ORDER BY v.embedding <=> $1::real[]::vector
             LIMIT $4::int""";

    /**
     * The nearest chunks of one course, each of its chunks compared with the question (found through course_chunk's
     * (source, page_url) index): exact, and in time proportional to the course. The graph costs a question that
     * course does not cover a walk past most of the other courses' chunks. "+ 0" keeps the planner off the HNSW
     * index, whose order it would otherwise use; the chunks' columns are read for the LIMIT's rows only (a third
     * less time at 2,000 chunks than sorting them all with their text).
     */
    static final String NEAREST_IN_COURSE = """
            SELECT c.id, c.title, c.url, c.content, c.content_type, c.part_id, c.module_id, c.page_url,
                   c.heading_path, c.position, n.distance
              FROM (SELECT v.id, v.embedding <=> $1::real[]::vector AS distance
                      FROM course_chunk s JOIN {vectors} v ON v.id = s.id
                     WHERE $1::real[]::vector IS NOT NULL AND s.source = $12::text
                     ORDER BY (v.embedding <=> $1::real[]::vector) + 0
                     LIMIT $4::int) AS n
              JOIN course_chunk c ON c.id = n.id
             ORDER BY n.distance""";

    static final String SOURCES = """
            SELECT source, count(*) AS chunks FROM course_chunk GROUP BY source ORDER BY source""";

    private final Pool pool;
    private final SearchConfig config;
    private final Map<String, String> statements = new ConcurrentHashMap<>();

    public SearchRepository(Pool pool, SearchConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The courses there are: the sources of the chunks, sorted, each with its number of chunks (CourseSources). */
    public Uni<SortedMap<String, Long>> sources() {
        return pool.query(SOURCES).execute().map(rows -> {
            SortedMap<String, Long> sources = new TreeMap<>();
            rows.forEach(r -> sources.put(r.getString("source"), r.getLong("chunks")));
            return sources;
        });
    }

    /**
     * Says so when the pool's connections do not start with the configured HNSW settings ({@link SearchPoolCreator});
     * at DEBUG, logs them as startup options (what search-bench gives pgbench).
     */
    void checkConnectionSettings(@Observes StartupEvent event) {
        String expected = config.efSearch() + " strict_order " + SearchPoolCreator.RANDOM_PAGE_COST;
        pool.query("SELECT coalesce(current_setting('hnsw.ef_search', true), 'unset') || ' '"
                        + " || coalesce(current_setting('hnsw.iterative_scan', true), 'unset') || ' '"
                        + " || current_setting('random_page_cost') AS settings").execute()
                .map(rows -> rows.iterator().next().getString("settings"))
                .subscribe().with(found -> {
                    Log.debugf("search connection options -c hnsw.ef_search=%s -c hnsw.iterative_scan=%s"
                            + " -c random_page_cost=%s", (Object[]) found.split(" ", 3));
                    if (!expected.equals(found)) {
                        Log.warnf("the database connections' hnsw.ef_search, hnsw.iterative_scan and random_page_cost are"
                                + " '%s', not '%s':"
                                + " were the connection's startup options dropped (by a pooler in transaction mode)?"
                                + " Searches may return fewer candidates than configured, or scan every vector.",
                                found, expected);
                    }
                }, e -> Log.debugf("HNSW settings not checked: %s", e.getMessage()));
    }

    /**
     * The search statement over a space's vectors: {@link #SEARCH_TEMPLATE} with its vector table, whose name comes
     * from an int id ({@link StoredSpace#vectorTable()}), so there is nothing to quote, and its nearest chunks by the
     * HNSW graph or by comparing each chunk of the searched course ({@code inCourse}).
     */
    public static String statement(StoredSpace space, boolean inCourse) {
        return SEARCH_TEMPLATE.replace("{nearest}", inCourse ? NEAREST_IN_COURSE : NEAREST_BY_GRAPH)
                .replace("{vectors}", space.vectorTable());
    }

    /**
     * Runs the space's statement (each of its two built once per space). At DEBUG, logs the statement and its
     * parameters (one JSON line: what search-bench replays).
     */
    public Uni<Found> search(StoredSpace space, SearchQuery query) {
        boolean inCourse = query.inCourse();
        String sql = statements.computeIfAbsent(space.id() + (inCourse ? " in course" : ""),
                key -> statement(space, inCourse));
        Tuple parameters = query.parameters();
        if (Log.isDebugEnabled()) {
            JsonArray values = new JsonArray();
            for (int i = 0; i < parameters.size(); i++) {
                Object v = parameters.getValue(i);
                values.add(v instanceof Object[] array ? new JsonArray(Arrays.asList(array)) : v);
            }
            Log.debugf("search statement %s", new JsonObject().put("sql", sql).put("parameters", values).encode());
        }
        return pool.preparedQuery(sql).execute(parameters).map(SearchRepository::found);
    }

    private static Found found(RowSet<Row> rows) {
        List<SearchHit> hits = new ArrayList<>();
        List<SearchHit> closest = new ArrayList<>();
        List<QuestionTerm> terms = new ArrayList<>();
        boolean agrees = false;
        for (Row r : rows) {
            switch (r.getString("kind")) {
                case "term" -> terms.add(new QuestionTerm(r.getString("name"), r.getString("lexeme"), r.getInteger("chunks")));
                case "hit", "closest" -> {
                    SearchHit hit = new SearchHit(r.getUUID("id"), r.getString("title"), r.getString("url"),
                            r.getString("content"), r.getString("content_type"), r.getString("part_id"),
                            r.getString("module_id"), r.getDouble("similarity"));
                    (r.getString("kind").equals("hit") ? hits : closest).add(hit);
                    agrees = r.getBoolean("agrees");
                }
                default -> throw new IllegalStateException("unknown row kind " + r.getString("kind"));
            }
        }
        return new Found(hits, closest, terms, agrees);
    }

    /**
     * What one search asks: the question's part; how it is ranked is {@code ranking}, the same for every question of
     * a configuration.
     *
     * @param vector   the question's vector; null when it could not be embedded (full-text search alone)
     * @param question the question as searched: its text ($3, embedded into {@code vector} and searched by full text),
     *                 its asking part ($13, whose lexemes are the terms) and its names ($10, whose lexemes are looked up
     *                 besides)
     * @param k        sections returned as hits
     * @param threshold the similarity a hit needs
     * @param source   the one course (a source of ingest-service) to search, or null for every course
     * @param inCourse  with a course: compare the question with each of its chunks ({@link #NEAREST_IN_COURSE})
     *                  instead of walking the HNSW graph ({@link #NEAREST_BY_GRAPH})
     */
    public record SearchQuery(float[] vector, SearchedQuestion question, int k, double threshold, String source,
                              boolean inCourse, Ranking ranking) {

        public SearchQuery {
            if (inCourse && source == null) {
                throw new IllegalArgumentException("a search in one course needs the course");
            }
        }

        /** Nearest chunks by the HNSW graph, in one course or in every course. */
        public SearchQuery(float[] vector, SearchedQuestion question, int k, double threshold, String source,
                           Ranking ranking) {
            this(vector, question, k, threshold, source, false, ranking);
        }

        /**
         * $1 … $13 of {@link #SEARCH_TEMPLATE}, in order. The vector goes as a {@code real[]}, which the client sends
         * in binary and the statement casts to {@code vector}: as pgvector's text, 1,536 floats were formatted per
         * search (Float.toString, ~10% of chat-service's CPU samples under search-bench) and parsed again by the
         * server.
         */
        public Tuple parameters() {
            return Tuple.tuple(Arrays.asList(vector == null ? null : boxed(vector), ranking.textSearchConfig(),
                    question.text(), ranking.candidates(), threshold, ranking.fullTextMargin(), ranking.rrfK(), k,
                    ranking.fullText() || vector == null, question.names().toArray(String[]::new), ranking.closest(),
                    source, question.asked()));
        }

        private static Float[] boxed(float[] vector) {
            Float[] boxed = new Float[vector.length];
            for (int i = 0; i < vector.length; i++) {
                boxed[i] = vector[i];
            }
            return boxed;
        }
    }

    /**
     * How a search ranks, from the configuration (SearchConfig).
     *
     * @param textSearchConfig the PostgreSQL text search configuration of the full-text part
     * @param candidates       chunks taken from each ranking before fusion (at most {@code hnsw.ef_search} without
     *                         iterative scans)
     * @param fullTextMargin   how far below the threshold a full-text hit may sit and still count
     * @param rrfK             the k of reciprocal rank fusion
     * @param fullText         whether to search by full text too (always without a vector)
     * @param closest          how many nearest sections to return besides the hits
     */
    public record Ranking(String textSearchConfig, int candidates, double fullTextMargin, int rrfK, boolean fullText,
                          int closest) {
    }

    /**
     * A search's result: the fused {@code hits} (one per section, best first), the {@code closest} sections to
     * the question vector whatever their similarity, the question's {@code terms}, and whether the nearest section
     * is among the first full-text ones.
     */
    public record Found(List<SearchHit> hits, List<SearchHit> closest, List<QuestionTerm> terms, boolean textAgrees) {
    }

    /** A lexeme of the question (name null) or of a name in it, and the number of chunks containing it. */
    public record QuestionTerm(String name, String lexeme, int chunks) {
    }
}
