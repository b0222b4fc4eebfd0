package org.coursebot.model;

import java.util.UUID;

/**
 * A section found by search. {@code similarity} is the cosine similarity to the question (1 = same direction),
 * or null when the question could not be embedded and the hit comes from full-text search alone.
 */
public record SearchHit(UUID id, String title, String url, String content, String contentType,
                        String partId, String moduleId, Double similarity) {
}
