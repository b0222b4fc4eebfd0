package org.coursebot.chat.search;

import java.util.List;

import org.coursebot.model.SearchHit;

/**
 * What search found: {@code hits} above the threshold, best first; {@code closest}, the nearest sections even
 * below it (to suggest when nothing is covered); {@code coverage}, whether the course answers the question and
 * why; {@code degraded} when the question could not be embedded and full-text search alone answered;
 * {@code embeddingSpace}, the space searched (one per search: its question vector and its chunk vectors);
 * {@code questionVector}, the question's vector in that space (null when degraded), which the question log keeps
 * to group similar questions; {@code searched}, the question as it was searched (without its personal data) and
 * what the coverage decision read as its asking part and its names.
 */
public record SearchResult(List<SearchHit> hits, List<SearchHit> closest, double threshold, Coverage coverage,
                           boolean degraded, SearchedSpace embeddingSpace, float[] questionVector,
                           SearchedQuestion searched) {

    /** The course answers the question (the coverage decision; never without hits). */
    public boolean covered() {
        return coverage.covered();
    }
}
