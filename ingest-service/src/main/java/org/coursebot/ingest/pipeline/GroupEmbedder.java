package org.coursebot.ingest.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.EmbeddingFailure;
import org.coursebot.ingest.embed.EmbeddedTexts;
import org.coursebot.ingest.embed.EmbeddingPlan;
import org.coursebot.model.CourseChunk;

/**
 * Embeds a group of pages' new chunks together (requests fill up across small pages), into each space the run keeps
 * up to date, one space after another; a failed batch leaves only the texts it carried without vectors. A dry run
 * embeds nothing and counts what it would send.
 *
 * <p>An API that cannot be reached or refuses the key ({@link EmbeddingFailure#unreachable()}) would fail every later
 * group the same way, each after its retries: the active space's stops the run (the crawl is cancelled), another
 * space's is sent nothing more for the rest of the run.
 */
@ApplicationScoped
public class GroupEmbedder {

    Uni<EmbeddedGroup> embed(RunState run, List<PendingPage> group) {
        if (run.dryRun) {
            run.targets.forEach(target -> preview(run, target, texts(group, target)));
            group.forEach(p -> run.countWritten(p, 0, 0));
            return Uni.createFrom().item(EmbeddedGroup.NONE);
        }
        Map<Integer, EmbeddedTexts> results = new HashMap<>();
        return Multi.createFrom().iterable(run.targets)
                .onItem().transformToUniAndConcatenate(target -> embedInto(run, target, texts(group, target))
                        .invoke(result -> results.put(target.space().id(), result)))
                .collect().last()
                .invoke(run::syncUsage)
                // After the stop, the group's pages are not written, nor counted as failed: they stay as they were.
                .map(ignored -> run.stoppedBy() != null ? EmbeddedGroup.NONE : new EmbeddedGroup(group, results));
    }

    /** One space's texts of a group; nothing is sent once the run stopped or that space's API proved unreachable. */
    private static Uni<EmbeddedTexts> embedInto(RunState run, SpaceTarget target, List<String> texts) {
        EmbeddingFailure unreachable = run.stoppedBy() != null ? run.stoppedBy() : run.unreachable.get(target.space().id());
        if (texts.isEmpty() || unreachable != null) {
            return Uni.createFrom().item(unreachable == null ? new EmbeddedTexts(List.of(), List.of())
                    : EmbeddedTexts.allFailed(texts.size(), unreachable));
        }
        return target.embedder().embedEach(texts, run.usage)
                .invoke(result -> result.unreachable().ifPresent(failure -> unreachable(run, target, failure)));
    }

    /**
     * The API of {@code target}'s space cannot be reached or refuses the key. The active space's stops the run; another
     * space's is left out for the rest of the run (its chunks of the pages written lose their stale vectors: a build
     * fills them), where each later group would otherwise spend a request and its retries on it.
     */
    private static void unreachable(RunState run, SpaceTarget target, EmbeddingFailure failure) {
        if (run.unreachable.putIfAbsent(target.space().id(), failure) != null) {
            return;
        }
        if (target.active()) {
            Log.warnf("ingest run %d stops: %s", run.id, failure.getMessage());
            run.crawl.cancel();
        } else {
            Log.warnf("ingest run %d: %s is not kept up to date for the rest of the run: %s", run.id, target.space(),
                    failure.getMessage());
        }
    }

    /** The texts a group sends to {@code target}'s space, page after page: the order EmbeddedGroup's vectors keep. */
    private static List<String> texts(List<PendingPage> group, SpaceTarget target) {
        return group.stream().flatMap(p -> p.toEmbed(target.space().id()).stream()).map(CourseChunk::embeddingText).toList();
    }

    /** A dry run plans the very groups a real run would embed, so its request count is the real one. */
    private static void preview(RunState run, SpaceTarget target, List<String> texts) {
        EmbeddingPlan plan = target.embedder().plan(texts);
        run.progress.embeddingRequests.addAndGet(texts.isEmpty() ? 0 : plan.requests());
        run.progress.tokens.addAndGet(plan.tokens());
        run.progress.chunksEmbedded.addAndGet(texts.size());
        run.progress.addCost(plan.estimatedCostUsd());
    }
}
