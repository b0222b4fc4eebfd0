package org.coursebot.chat.search;

import java.util.List;

import org.coursebot.model.SearchHit;

/**
 * What search found: {@code hits} above the threshold, best first; {@code closest}, the nearest sections even
 * below it (to suggest when nothing is covered); {@code degraded} when the question could not be embedded and
 * full-text search alone answered.
 */
public record SearchResult(List<SearchHit> hits, List<SearchHit> closest, double threshold, boolean degraded) {

    public boolean covered() {
        return !hits.isEmpty();
    }
}
