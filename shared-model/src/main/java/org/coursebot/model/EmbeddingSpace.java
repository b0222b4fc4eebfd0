package org.coursebot.model;

/** An embedding model and the dimension of its vectors: vectors from two spaces never compare. */
public record EmbeddingSpace(String model, int dimension) {

    public static final EmbeddingSpace LOCAL_MINILM = new EmbeddingSpace("all-minilm-l6-v2-q", 384);
    public static final EmbeddingSpace OPENAI_3_SMALL = new EmbeddingSpace("text-embedding-3-small", 1536);
    public static final EmbeddingSpace OPENAI_ADA_002 = new EmbeddingSpace("text-embedding-ada-002", 1536);

    public EmbeddingSpace {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("an embedding space needs a model name");
        }
        if (dimension <= 0) {
            throw new IllegalArgumentException("an embedding dimension must be positive, got " + dimension);
        }
    }

    /** What {@code course_content.embedding_model} stores. */
    @Override
    public String toString() {
        return model + "/" + dimension;
    }
}
