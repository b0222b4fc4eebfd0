package org.coursebot.chat.search;

import org.coursebot.model.StoredSpace;

/**
 * The embedding space a search ran in, as answers report it ({@code "embeddingSpace": {"id": 2, "model": ...,
 * "dimension": 1536}}): during a change of model, which side of it an answer came from.
 */
public record SearchedSpace(int id, String model, int dimension) {

    public static SearchedSpace of(StoredSpace space) {
        return new SearchedSpace(space.id(), space.space().model(), space.space().dimension());
    }
}
