package org.coursebot.ingest.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.coursebot.ingest.crawl.PageValidators;
import org.coursebot.model.CourseChunk;

/**
 * A fetched page whose chunks must be written: {@code textChanged} are the ids of those with new or changed text,
 * {@code toEmbed} per space id those needing a new vector in that space. It holds no parsed document: pages wait here
 * for their batch, and a DOM is far larger than its chunks.
 */
record PendingPage(String url, PageValidators validators, List<String> links, List<CourseChunk> chunks,
                   Set<UUID> textChanged, Map<Integer, List<CourseChunk>> toEmbed, String pageHash, boolean isNew) {

    List<CourseChunk> toEmbed(int space) {
        return toEmbed.getOrDefault(space, List.of());
    }
}
