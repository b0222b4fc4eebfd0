package org.coursebot.chat.space;

import java.util.Map;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.common.Problem;
import org.coursebot.chat.replica.SearchDatabaseReplica;
import org.coursebot.common.ProblemException;
import org.coursebot.model.StoredSpace;

/**
 * Whether chat-service can embed questions into a space, tried for real: ingest-service asks before it activates
 * one, so that a space chat-service cannot search (no API key, another local model) never becomes the active one.
 */
@ApplicationScoped
public class SpaceProbe {

    /** Embedded past the question cache: a probe must reach the model. */
    static final String PROBE_TEXT = "coursebot embedding check";

    private final SpaceRepository spaces;
    private final SpaceEmbedders embedders;
    private final SearchDatabaseReplica replica;

    public SpaceProbe(SpaceRepository spaces, SpaceEmbedders embedders, SearchDatabaseReplica replica) {
        this.spaces = spaces;
        this.embedders = embedders;
        this.replica = replica;
    }

    /** Fails with a 404 problem for an unknown or retired space, a 409 problem when it cannot be embedded into. */
    public Uni<Embeddability> probe(int id) {
        return spaces.byId(id).chain(found -> {
            if (found.isEmpty()) {
                return notFound(id);
            }
            StoredSpace space = found.filter(s -> !StoredSpace.RETIRED.equals(s.status())).orElseThrow(() ->
                    new ProblemException("space-not-found", "Not found", 404, "embedding space " + id + " is retired"));
            QuestionEmbedder embedder;
            try {
                embedder = embedders.forSpace(space);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(notEmbeddable(space, e.getMessage()));
            }
            // The local model's loading is not the probe's: loaded first, then the probe is timed.
            return embedder.warmUp().chain(() -> {
                long start = System.nanoTime();
                return embedder.probe(PROBE_TEXT).map(vector -> {
                    if (vector.length != space.space().dimension()) {
                        throw notEmbeddable(space, "the model returned vectors of " + vector.length
                                + " dimensions, the space has " + space.space().dimension());
                    }
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    Log.debugf("space %d embeddable: probe in %d ms", id, millis);
                    return new Embeddability(id, space.provider(), space.space().model(), space.space().dimension(),
                            true, millis);
                });
            }).onFailure(e -> !(e instanceof ProblemException)).transform(e -> notEmbeddable(space, e.getMessage()));
        });
    }

    /**
     * No such space here. On a hot standby it may exist on the primary and not be replayed yet: ingest-service asks
     * right before an activation, so the answer says so, with the lag, and the operator tries again.
     */
    private Uni<Embeddability> notFound(int id) {
        return replica.state().map(s -> s.standby() ? " on this hot standby (" + s.lag() + "): if it was created on"
                        + " the primary just now, try again once it is replayed" : "")
                .onFailure().recoverWithItem("")
                .map(where -> {
                    throw new ProblemException("space-not-found", "Not found", 404, "no embedding space " + id + where);
                });
    }

    private static ProblemException notEmbeddable(StoredSpace space, String reason) {
        return new ProblemException(Problem.of("space-not-embeddable", "Conflict", 409,
                "chat-service cannot embed with " + space.space() + ": " + reason,
                Map.of("id", space.id(), "provider", space.provider())));
    }
}
