package org.coursebot.ingest.extract;

import org.coursebot.model.ContentType;

/**
 * A heading and the text under it up to the next heading of the same or a higher level.
 *
 * @param index position in the page, 0 being the page section (title and lead text)
 * @param parent index of the enclosing section, -1 for the page section
 * @param level 0 for the page section, 1 to 4 for h1 to h4
 * @param headingPath titles from the page section down to this one, joined by " › "
 * @param url citation url: the page url, with a fragment only when it lands on this heading
 */
record Section(int index, int parent, int level, String title, String headingPath, String content, String url,
               ContentType contentType, double importance) {

    static final String PATH_SEPARATOR = " › ";
}
