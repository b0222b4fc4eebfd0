package org.coursebot.ingest.exercises;

import java.util.List;

/**
 * {@code GET /admin/sources/{name}/exercises}: one item per exercise section, in page then position order.
 *
 * @param exercises the course's policy for requests for a solution: {@code guide} or {@code open}
 * @param count     the number of items
 */
public record ExerciseList(String source, String exercises, int count, List<Item> items) {

    /** An exercise section: its title, the url that cites it, its page and its heading path. */
    public record Item(String title, String url, String pageUrl, String headingPath) {
    }
}
