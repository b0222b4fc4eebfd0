package org.coursebot.ingest.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.embed.EmbeddingService;
import org.coursebot.ingest.store.SpaceRepository;
import org.coursebot.model.StoredSpace;

/**
 * The spaces a crawl run keeps up to date: every space that is not retired, each with the embedder of its model, so
 * activating one never serves stale content. A space this process cannot embed into is left out (logged; its coverage
 * falls), unless it is the active one: then the run fails, saying what is missing.
 */
@ApplicationScoped
public class SpaceTargets {

    private final SpaceRepository spaces;
    private final EmbeddingService embedding;

    public SpaceTargets(SpaceRepository spaces, EmbeddingService embedding) {
        this.spaces = spaces;
        this.embedding = embedding;
    }

    /** The targets of run {@code runId}, the active space first; fails when there is no active space to embed into. */
    Uni<List<SpaceTarget>> of(long runId) {
        return DatabaseRetry.transientFailures(spaces.live()).map(rows -> {
            List<SpaceTarget> targets = new ArrayList<>();
            for (var row : rows) {
                StoredSpace space = row.space();
                try {
                    targets.add(new SpaceTarget(space, embedding.forSpace(space)));
                } catch (IllegalArgumentException e) {
                    if (StoredSpace.ACTIVE.equals(space.status())) {
                        throw new IllegalStateException("cannot embed into the active " + space + ": " + e.getMessage());
                    }
                    Log.warnf("ingest run %d: %s is not kept up to date: %s", runId, space, e.getMessage());
                }
            }
            // SpaceRepository.live() lists the active space first: with none, the first target is another one.
            if (targets.isEmpty() || !targets.get(0).active()) {
                throw new IllegalStateException("the database has no active embedding space (embedding_space)");
            }
            return targets;
        });
    }
}
