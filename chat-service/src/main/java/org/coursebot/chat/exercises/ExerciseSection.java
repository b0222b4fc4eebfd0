package org.coursebot.chat.exercises;

import java.util.UUID;

import org.coursebot.model.SearchHit;

/**
 * An exercise as ingest-service stored it ({@code content_type = 'exercise'}): its course, its heading, the link that
 * lands on it, and its statement (the section's chunks joined, in order).
 */
public record ExerciseSection(String source, String title, String url, String statement) {

    public Exercise exercise() {
        return new Exercise(title, statement);
    }

    /** As a search hit, to cite it beside the sections found (no similarity: it was named, not searched). */
    public SearchHit asHit() {
        return new SearchHit(UUID.nameUUIDFromBytes(url.getBytes(java.nio.charset.StandardCharsets.UTF_8)), title, url,
                statement, "exercise", null, null, null);
    }
}
