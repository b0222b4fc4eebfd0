package org.coursebot.ingest.pipeline;

import java.util.List;
import java.util.Map;

import org.coursebot.ingest.embed.EmbeddedTexts;

/**
 * A group's pages with each space's vectors (by space id), in the order of the pages' chunks to embed there: the
 * first page's chunks to embed in a space, then the second's, and so on.
 */
record EmbeddedGroup(List<PendingPage> pages, Map<Integer, EmbeddedTexts> results) {

    /** No page to write: a dry run's group, or one the run stopped at (its pages stay as they were). */
    static final EmbeddedGroup NONE = new EmbeddedGroup(List.of(), Map.of());
}
