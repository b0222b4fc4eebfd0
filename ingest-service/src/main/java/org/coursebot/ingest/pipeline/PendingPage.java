package org.coursebot.ingest.pipeline;

import java.util.List;

import org.coursebot.ingest.crawl.PageValidators;
import org.coursebot.model.CourseChunk;

/**
 * A fetched page whose chunks must be written; {@code toEmbed} are those needing a new vector. It holds no
 * parsed document: pages wait here for their batch, and a DOM is far larger than its chunks.
 */
record PendingPage(String url, PageValidators validators, List<String> links, List<CourseChunk> chunks,
                   List<CourseChunk> toEmbed, String pageHash, boolean isNew) {
}
