package org.coursebot.common;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingSpaceCheck;
import org.coursebot.model.EmbeddingSpace;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the database's vectors are in the space this process embeds into: never search (or write)
 * across spaces. Each service produces its configured {@link EmbeddingSpace} bean.
 */
@Readiness
@ApplicationScoped
public class EmbeddingSpaceReadinessCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final EmbeddingSpace configured;

    public EmbeddingSpaceReadinessCheck(Pool pool, EmbeddingSpace configured) {
        this.pool = pool;
        this.configured = configured;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("embedding-space").withData("configured", configured.toString());
        return pool.query(EmbeddingSpaceCheck.QUERY).execute()
                .map(rows -> {
                    var row = rows.iterator().next();
                    var mismatch = EmbeddingSpaceCheck.mismatch(configured, row.getString("models"),
                            row.getString("column_type"));
                    return mismatch.map(m -> response.withData("error", m).down().build())
                            .orElseGet(() -> response.up().build());
                })
                .onFailure().recoverWithItem(e -> response.withData("error", e.getMessage()).down().build());
    }
}
