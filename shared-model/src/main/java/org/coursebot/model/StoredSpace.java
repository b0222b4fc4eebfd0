package org.coursebot.model;

/**
 * A row of {@code embedding_space} (migration V4): an embedding model, the provider that runs it, and where its
 * vectors are. Vectors of two spaces never compare: a question is embedded into the space it searches.
 *
 * @param provider openai or local
 * @param status building, ready, active or retired
 */
public record StoredSpace(int id, String provider, EmbeddingSpace space, String status) {

    public static final String BUILDING = "building";
    public static final String READY = "ready";
    public static final String ACTIVE = "active";
    public static final String RETIRED = "retired";

    /** The table of this space's vectors, with its HNSW index. */
    public String vectorTable() {
        return "course_vector_" + id;
    }

    @Override
    public String toString() {
        return "space " + id + " (" + provider + " " + space + ", " + status + ")";
    }
}
