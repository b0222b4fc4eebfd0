package org.coursebot.ingest.pipeline;

import org.coursebot.ingest.embed.EmbeddingService;
import org.coursebot.model.StoredSpace;

/**
 * A space a run keeps up to date, with the embedder of its model. A page is written only with every vector of the
 * active space; in another space a vector that could not be made leaves that chunk without one (the space's coverage
 * says so, and activating it is refused until a build fills it).
 */
record SpaceTarget(StoredSpace space, EmbeddingService embedder) {

    boolean active() {
        return StoredSpace.ACTIVE.equals(space.status());
    }
}
