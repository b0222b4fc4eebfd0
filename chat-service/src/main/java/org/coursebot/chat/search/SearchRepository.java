package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.Vectors;

/** The SQL of search: nearest neighbours through HNSW, and full-text matches through GIN. Read-only. */
@ApplicationScoped
public class SearchRepository {

    private static final String COLUMNS = """
            id, title, url, content, content_type, part_id, module_id, page_url, heading_path, position
            """;

    // ORDER BY the distance operator with a LIMIT is the form HNSW serves; thresholds are applied by the caller.
    private static final String NEAREST = "SELECT " + COLUMNS + """
            , 1 - (embedding <=> $1::vector) AS similarity
              FROM course_content
             ORDER BY embedding <=> $1::vector
             LIMIT $2
            """;

    private static final String FULL_TEXT = "SELECT " + COLUMNS + """
            , CASE WHEN $4::text IS NULL THEN NULL ELSE 1 - (embedding <=> $4::vector) END AS similarity
              FROM course_content, websearch_to_tsquery($1::regconfig, $2) AS query
             WHERE tsv @@ query
             ORDER BY ts_rank_cd(tsv, query) DESC
             LIMIT $3
            """;

    // The question's terms (its lexemes under the text search configuration; stop words have none) and the
    // lexemes of the words the caller reads as names ($4), each with the number of chunks containing it, counted
    // through the GIN index and capped: "absent", "rare" or "common" is all the coverage decision needs, and the
    // cap bounds the cost on a large course. A lexeme is quoted into a tsquery as it is (quotes and backslashes
    // doubled), so it is matched exactly, not parsed again. (ts_debug would give each word's lexemes in one call,
    // but in a prepared statement it is not inlined and costs ~6 ms a question; to_tsvector costs ~0.2 ms.)
    private static final String TERMS = """
            SELECT t.name, t.lexeme,
                   (SELECT count(*) FROM (SELECT 1 FROM course_content c
                                           WHERE c.tsv @@ ('''' || replace(replace(t.lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery
                                           LIMIT $3) AS capped) AS chunks
              FROM (SELECT NULL::text AS name, lexeme
                      FROM unnest(tsvector_to_array(to_tsvector($1::regconfig, $2))) AS lexeme
                    UNION ALL
                    SELECT name, lexeme
                      FROM unnest($4::text[]) AS name,
                           unnest(tsvector_to_array(to_tsvector($1::regconfig, name))) AS lexeme) AS t
            """;

    private final Pool pool;

    public SearchRepository(Pool pool) {
        this.pool = pool;
    }

    /** The {@code limit} nearest chunks, best first. */
    public Uni<List<Candidate>> nearest(float[] query, int limit, int efSearch) {
        String vector = Vectors.toText(query);
        // SET LOCAL needs a transaction; it keeps the setting from leaking to the pooled connection's next user.
        return pool.withTransaction(tx -> tx.query("SET LOCAL hnsw.ef_search = " + Math.max(efSearch, limit)).execute()
                .chain(() -> tx.preparedQuery(NEAREST).execute(Tuple.of(vector, limit))))
                .map(SearchRepository::candidates);
    }

    /** The {@code limit} best full-text matches; with {@code query} their similarity to it, else null. */
    public Uni<List<Candidate>> fullText(String textSearchConfig, String question, int limit, float[] query) {
        String vector = query == null ? null : Vectors.toText(query);
        return pool.preparedQuery(FULL_TEXT).execute(Tuple.of(textSearchConfig, question, limit, vector))
                .map(SearchRepository::candidates);
    }

    /**
     * The question's terms, and the lexemes of {@code names} (words of it written as names), each with the number
     * of chunks that contain it (at most {@code cap}); a term of the question has a null name.
     */
    public Uni<List<QuestionTerm>> terms(String textSearchConfig, String question, List<String> names, int cap) {
        return pool.preparedQuery(TERMS).execute(Tuple.of(textSearchConfig, question, cap, names.toArray(String[]::new)))
                .map(rows -> {
                    List<QuestionTerm> terms = new ArrayList<>();
                    rows.forEach(r -> terms.add(new QuestionTerm(r.getString("name"), r.getString("lexeme"),
                            r.getLong("chunks").intValue())));
                    return terms;
                });
    }

    private static List<Candidate> candidates(RowSet<Row> rows) {
        List<Candidate> list = new ArrayList<>();
        rows.forEach(r -> list.add(new Candidate(r.getUUID("id"), r.getString("title"), r.getString("url"),
                r.getString("content"), r.getString("content_type"), r.getString("part_id"), r.getString("module_id"),
                r.getString("page_url"), r.getString("heading_path"), r.getInteger("position"),
                r.getDouble("similarity"))));
        return list;
    }

    /** A lexeme of the question (name null) or of a name in it, and the number of chunks containing it. */
    public record QuestionTerm(String name, String lexeme, int chunks) {
    }

    /** A chunk found by one of the searches; {@code similarity} is null when no question vector was at hand. */
    public record Candidate(java.util.UUID id, String title, String url, String content, String contentType,
                            String partId, String moduleId, String pageUrl, String headingPath, int position,
                            Double similarity) {

        /** Chunks of one section share this. */
        public String sectionKey() {
            return pageUrl + '\u0000' + headingPath;
        }
    }
}
