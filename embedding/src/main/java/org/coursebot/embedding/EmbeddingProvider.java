package org.coursebot.embedding;

/** Where vectors come from. */
public enum EmbeddingProvider {
    /** An OpenAI-compatible embeddings API. */
    OPENAI,
    /** The in-process all-MiniLM-L6-v2 (quantized) model: offline, 384 dimensions. */
    LOCAL
}
