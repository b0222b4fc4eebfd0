package org.coursebot.chat.migrate;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.compare.RankedHit;
import org.coursebot.common.DatabaseConnectOptions;
import org.coursebot.common.ProblemException;
import org.coursebot.embedding.LocalEmbeddingModel;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.model.Vectors;

/**
 * The old system's search, replayed: the question embedded in-process by all-MiniLM-L6-v2, then the old
 * database's own {@code match_course_content}. The old database is only read: every connection of the pool
 * opens with {@code default_transaction_read_only=on}, so even a mistaken write would be refused by PostgreSQL.
 */
@ApplicationScoped
public class LegacyRepository {

    static final String VARIABLE = "LEGACY_DATABASE_URL";
    private static final String MATCH = "SELECT id::text, title, url, similarity FROM match_course_content($1::vector, 0, $2)";

    private final LegacyConfig config;
    private final Vertx vertx;
    // Its own model instance, loaded on the first comparison only. The old API used the non-quantized
    // sentence-transformers all-MiniLM-L6-v2; this is the quantized ONNX export, so scores differ slightly
    // (ranks rarely). One thread: comparisons are an operator's occasional batch, not a request path.
    private final LocalEmbeddingModel model = new LocalEmbeddingModel(1, 4);
    private volatile Pool pool;

    public LegacyRepository(LegacyConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** Whether LEGACY_DATABASE_URL is set. */
    public boolean configured() {
        return config.databaseUrl().filter(s -> !s.isBlank()).isPresent();
    }

    /** The old system's top k for the question, best first (the old function with threshold 0). */
    public Uni<List<RankedHit>> topK(String question, int k) {
        return model.embed(List.of(question))
                .chain(vectors -> pool().preparedQuery(MATCH).execute(Tuple.of(Vectors.toText(vectors.get(0)), k))
                        // The driver's messages name the host, user or SQL error, never the password.
                        .onFailure().transform(e -> new ProblemException("legacy-unavailable", "Bad gateway", 502,
                                "the old database did not answer match_course_content: " + e.getMessage())))
                .map(rows -> {
                    List<RankedHit> hits = new ArrayList<>();
                    rows.forEach(r -> hits.add(new RankedHit(r.getString("title"), r.getString("url"),
                            r.getDouble("similarity"))));
                    return hits;
                });
    }

    private Pool pool() {
        Pool p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    DatabaseUrl url = DatabaseUrl.parse(VARIABLE, config.databaseUrl().orElseThrow(() ->
                            new ProblemException("legacy-disabled", "Not found", 404, "set " + VARIABLE + " to compare")));
                    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(connectOptions(url))
                            .using(vertx).build();
                    // DatabaseUrl.toString masks the password.
                    Log.infof("comparison reads the old database %s (read-only)", url);
                }
                p = pool;
            }
        }
        return p;
    }

    static PgConnectOptions connectOptions(DatabaseUrl url) {
        return DatabaseConnectOptions.of(url)
                .addProperty("default_transaction_read_only", "on")
                .addProperty("application_name", "coursebot-compare");
    }

    @PreDestroy
    void close() {
        model.close();
        if (pool != null) {
            pool.closeAndAwait();
        }
    }
}
