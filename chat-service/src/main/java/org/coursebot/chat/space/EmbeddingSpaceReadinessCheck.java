package org.coursebot.chat.space;

import java.util.Optional;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.StoredSpace;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when chat-service knows the active embedding space and can embed questions into it (the local model it
 * runs, or an OpenAI key for an OpenAI space): otherwise every answer would come from full-text search alone.
 */
@Readiness
@ApplicationScoped
public class EmbeddingSpaceReadinessCheck implements AsyncHealthCheck {

    private final ActiveSpace active;
    private final SpaceEmbedders embedders;

    public EmbeddingSpaceReadinessCheck(ActiveSpace active, SpaceEmbedders embedders) {
        this.active = active;
        this.embedders = embedders;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("embedding-space");
        // The poller's space; read now only before its first read (or while the database has none).
        Optional<StoredSpace> known = active.current();
        Uni<Optional<StoredSpace>> space = known.isPresent() ? Uni.createFrom().item(known) : active.refresh();
        return space.map(found -> {
            if (found.isEmpty()) {
                return response.withData("reason", "no active embedding space: run an ingest first").down().build();
            }
            StoredSpace s = found.get();
            response.withData("id", s.id()).withData("provider", s.provider()).withData("model", s.space().model())
                    .withData("dimension", s.space().dimension());
            return embedders.cannotEmbed(s).map(reason -> response.withData("reason", reason).down().build())
                    .orElseGet(() -> response.up().build());
        }).onFailure().recoverWithItem(e -> response.withData("reason", "cannot read the active embedding space: "
                + e.getMessage()).down().build());
    }
}
