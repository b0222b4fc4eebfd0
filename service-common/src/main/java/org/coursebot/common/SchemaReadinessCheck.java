package org.coursebot.common;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.SchemaVersion;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the database answers and its schema is the version this build was written for. */
@Readiness
@ApplicationScoped
public class SchemaReadinessCheck implements AsyncHealthCheck {

    private final Pool pool;

    public SchemaReadinessCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("schema").withData("expected", SchemaVersion.CURRENT);
        return pool.query(SchemaVersion.QUERY).execute()
                .map(rows -> {
                    int found = SchemaVersion.parse(rows.iterator().next().getString("version"));
                    return response.withData("found", found).status(found == SchemaVersion.CURRENT).build();
                })
                .onFailure().recoverWithItem(e -> response.withData("error", e.getMessage()).down().build());
    }
}
