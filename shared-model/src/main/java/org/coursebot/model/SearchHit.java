package org.coursebot.model;

import java.util.UUID;

/** A chunk found by search, with its cosine similarity to the question (1 = same direction). */
public record SearchHit(UUID id, String title, String url, String content, String contentType,
                        String partId, String moduleId, double similarity) {
}
