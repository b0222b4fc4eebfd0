package org.coursebot.ingest.admin;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.common.Problem;
import org.coursebot.common.ProblemException;
import org.coursebot.embedding.ProviderSelection;
import org.coursebot.ingest.pipeline.IngestRuns;
import org.coursebot.ingest.store.SpaceRepository;
import org.coursebot.ingest.store.SpaceRepository.SpaceRow;
import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;

/**
 * The operator's view of embedding spaces: list, create, build, activate (after chat-service confirms it can embed
 * with the space's model), roll back (activate the previous one) and retire. See docs/embedding-spaces.md.
 */
@ApplicationScoped
public class SpaceService {

    private final SpaceRepository spaces;
    private final IngestRuns runs;
    private final ChatServiceCheck chat;
    private final SpacesConfig config;

    public SpaceService(SpaceRepository spaces, IngestRuns runs, ChatServiceCheck chat, SpacesConfig config) {
        this.spaces = spaces;
        this.runs = runs;
        this.chat = chat;
        this.config = config;
    }

    public Uni<List<SpaceView>> list() {
        return spaces.all().chain(rows -> Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(this::view)
                .collect().asList());
    }

    public Uni<SpaceView> get(int id) {
        return find(id).chain(this::view);
    }

    /**
     * A new space, 'building', with its empty vector table and index. The provider defaults to local for the local
     * model, else openai; the dimension to the model's own.
     */
    public Uni<SpaceView> create(String provider, String model, Integer dimensions) {
        EmbeddingSpace space;
        String chosen = provider == null || provider.isBlank()
                ? (EmbeddingSpace.LOCAL_MINILM.model().equals(model) ? "local" : "openai") : provider;
        try {
            var selection = ProviderSelection.named(chosen, model,
                    dimensions == null ? OptionalInt.empty() : OptionalInt.of(dimensions));
            space = selection.space();
            chosen = selection.provider().name().toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(dimensions == null && e.getMessage().contains("dimensions") ? "dimensions" : "model",
                    e.getMessage().replace("coursebot.embedding.dimensions", "dimensions")
                            .replace("coursebot.embedding.provider", "provider"));
        }
        if (space.dimension() > 2000) {
            throw invalid("dimensions", "an HNSW index holds vectors of up to 2,000 dimensions; " + space
                    + " has " + space.dimension() + ": ask the model for fewer (dimensions)");
        }
        String stored = chosen;
        EmbeddingSpace created = space;
        return spaces.create(stored, space)
                .onFailure(PgException.class).transform(e -> sqlProblem((PgException) e, created.toString()))
                .invoke(id -> Log.infof("created embedding space %d: %s %s (building)", id, stored, created))
                .chain(this::get);
    }

    /** Starts a build run (or its dry run): every current chunk without a vector in the space is embedded. */
    public Uni<Long> build(int id, boolean dryRun) {
        return find(id).chain(row -> {
            if (StoredSpace.RETIRED.equals(row.space().status())) {
                throw conflict("space-retired", "space " + id + " is retired: create a new space for " + row.space().space());
            }
            return runs.startBuild(row.space(), dryRun);
        });
    }

    /**
     * Activates a ready space in one transaction once chat-service confirms it can embed with its model; the active
     * space becomes ready (activate it again to roll back). chat-services follow within their poll interval.
     */
    public Uni<SpaceView> activate(int id) {
        return find(id)
                .call(row -> chat.confirm(row.space()))
                .chain(row -> spaces.activate(id)
                        .onFailure(PgException.class).transform(e -> sqlProblem((PgException) e, row.space().toString())))
                .invoke(() -> Log.infof("embedding space %d is active", id))
                .chain(() -> get(id));
    }

    /**
     * Drops a space's vectors and index, keeping its row. Refused for the active space, for one that stopped being
     * active less than {@code retire-grace} ago, and while a run holds the ingest lock (it may be writing there).
     */
    public Uni<SpaceView> retire(int id) {
        return find(id).chain(row -> {
            OffsetDateTime since = row.deactivated();
            if (since != null && !StoredSpace.ACTIVE.equals(row.space().status())) {
                Duration ago = Duration.between(since, OffsetDateTime.now());
                if (ago.compareTo(config.retireGrace()) < 0) {
                    throw conflict("space-recently-active", "space " + id + " was active until " + ago.toSeconds()
                            + " s ago and chat-services may still be searching it; retry after "
                            + config.retireGrace().minus(ago).toSeconds() + " s");
                }
            }
            return runs.whileNoRun(() -> spaces.retire(id))
                    .onFailure(PgException.class).transform(e -> sqlProblem((PgException) e, row.space().toString()));
        }).invoke(() -> Log.infof("embedding space %d is retired: its vectors and index are dropped", id))
                .chain(() -> get(id));
    }

    private Uni<SpaceRow> find(int id) {
        return spaces.find(id).map(found -> found.orElseThrow(() -> new ProblemException(Problem.of("space-not-found",
                "No such embedding space", 404, "no embedding space " + id, Map.of("spaceId", id)))));
    }

    private Uni<SpaceView> view(SpaceRow row) {
        if (StoredSpace.RETIRED.equals(row.space().status())) {
            return Uni.createFrom().item(SpaceView.of(row, null));
        }
        return spaces.coverage(row.space()).map(coverage -> SpaceView.of(row, coverage));
    }

    private static ProblemException sqlProblem(PgException e, String space) {
        return switch (String.valueOf(e.getSqlState())) {
            case "23505" -> conflict("space-exists", "a space for " + space + " exists already and is not retired");
            case "P0002" -> new ProblemException(Problem.of("space-not-found", "No such embedding space", 404,
                    e.getErrorMessage(), Map.of()));
            case "55000" -> conflict("space-not-ready", e.getErrorMessage());
            default -> new ProblemException(Problem.of("database-error", "Database error", 500, e.getErrorMessage(), Map.of()));
        };
    }

    private static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(slug, "Embedding space conflict", 409, detail, Map.of()));
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of("invalid-request", "Invalid request", 400, field + ": " + message,
                Map.of("fields", Map.of(field, message))));
    }

    /** A space as the admin API shows it; coverage and sizes are null for a retired space. */
    public record SpaceView(int id, String provider, String model, int dimension, String status,
                            OffsetDateTime created, OffsetDateTime activated, OffsetDateTime deactivated,
                            OffsetDateTime retired, Long chunks, Long covered, Double coverage, Long tableBytes,
                            Long indexBytes, String index) {

        static SpaceView of(SpaceRow row, SpaceRepository.Coverage c) {
            StoredSpace s = row.space();
            return new SpaceView(s.id(), s.provider(), s.space().model(), s.space().dimension(), s.status(),
                    row.created(), row.activated(), row.deactivated(), row.retired(),
                    c == null ? null : c.chunks(), c == null ? null : c.covered(),
                    c == null ? null : c.chunks() == 0 ? 1.0 : (double) c.covered() / c.chunks(),
                    c == null ? null : c.tableBytes(), c == null ? null : c.indexBytes(), c == null ? null : c.index());
        }
    }
}
