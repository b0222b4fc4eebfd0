package org.coursebot.embedding;

import java.util.List;

/**
 * Vectors of one response, in the order of the request's inputs.
 *
 * @param promptTokens what the API says it billed ({@code usage.prompt_tokens}), -1 when absent
 */
public record RemoteEmbeddings(List<float[]> vectors, int promptTokens) {
}
