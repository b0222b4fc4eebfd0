package org.coursebot.ingest.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.embed.EmbeddedTexts;
import org.coursebot.ingest.store.SpaceRepository.SpaceVector;
import org.coursebot.ingest.store.ChunkRepository.SpaceWrite;
import org.coursebot.model.CourseChunk;

/**
 * Writes an embedded group page by page ({@link PageWriter}), handing each page its vectors in every space. A page is
 * written only with every vector of the active space; the others fail alone and stay as they were. In another space,
 * a chunk whose vector did not come back loses its stale one (see SpaceTarget).
 */
@ApplicationScoped
public class GroupWriter {

    private final PageWriter writer;

    public GroupWriter(PageWriter writer) {
        this.writer = writer;
    }

    Uni<Void> write(RunState run, EmbeddedGroup embedded) {
        // Each page's write is made here, before any runs: PageWriter.fail counts a page failed as it is called.
        List<Uni<Void>> writes = new ArrayList<>();
        // Per space id, where the next page's vectors start in that space's results (see EmbeddedGroup).
        Map<Integer, Integer> next = new HashMap<>();
        for (PendingPage p : embedded.pages()) {
            List<SpaceWrite> spaceWrites = new ArrayList<>();
            String activeFailure = null;
            for (SpaceTarget target : run.targets) {
                int space = target.space().id();
                EmbeddedTexts result = embedded.results().get(space);
                List<SpaceVector> vectors = new ArrayList<>();
                List<UUID> stale = new ArrayList<>();
                int at = next.getOrDefault(space, 0);
                for (CourseChunk c : p.toEmbed(space)) {
                    float[] vector = result.vectors().get(at++);
                    if (vector != null) {
                        vectors.add(new SpaceVector(c.id(), c.contentHash(), vector));
                    } else {
                        stale.add(c.id());
                    }
                }
                next.put(space, at);
                if (!stale.isEmpty() && target.active()) {
                    activeFailure = result.firstFailure();
                } else if (!stale.isEmpty()) {
                    Log.warnf("ingest run %d: page %s: %d chunk(s) without a vector in %s (%s); a build fills them",
                            run.id, p.url(), stale.size(), target.space(), result.firstFailure());
                }
                spaceWrites.add(new SpaceWrite(target.space(), vectors, stale));
            }
            writes.add(activeFailure == null ? writer.write(run, p, spaceWrites)
                    : writer.fail(run, p.url(), "embedding: " + activeFailure));
        }
        return Multi.createFrom().iterable(writes).onItem().transformToUniAndConcatenate(w -> w)
                .collect().last().replaceWithVoid();
    }
}
