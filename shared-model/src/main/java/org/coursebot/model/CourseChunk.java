package org.coursebot.model;

import java.util.UUID;

/**
 * One row of {@code course_content} without its vector: a section, or a piece of a long one.
 *
 * @param url citation url: the page url, with a {@code #fragment} only when the page has that id
 * @param headingPath the titles from the page title down to this section, joined by " › "
 * @param position order of the chunk within its page
 * @param contentHash SHA-256 (hex) of the text that is embedded
 */
public record CourseChunk(UUID id, String source, String pageUrl, String url, String title, String headingPath,
                          String content, ContentType contentType, String partId, String moduleId, UUID parentId,
                          double importance, int position, String contentHash) {

    /**
     * The exact text sent to the embedding model and hashed into {@link #contentHash()}: the heading path first,
     * so "Receiving data" under Express and under Flask embed differently.
     */
    public String embeddingText() {
        return headingPath + "\n\n" + content;
    }
}
