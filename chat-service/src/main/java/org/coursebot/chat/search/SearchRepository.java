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

    private static List<Candidate> candidates(RowSet<Row> rows) {
        List<Candidate> list = new ArrayList<>();
        rows.forEach(r -> list.add(new Candidate(r.getUUID("id"), r.getString("title"), r.getString("url"),
                r.getString("content"), r.getString("content_type"), r.getString("part_id"), r.getString("module_id"),
                r.getString("page_url"), r.getString("heading_path"), r.getInteger("position"),
                r.getDouble("similarity"))));
        return list;
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
