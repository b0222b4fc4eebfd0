package org.coursebot.model;

/** A numbered source of an answer, as the chat API returns it; {@code similarity} null in degraded mode. */
public record Citation(int index, String title, String url, String partId, String moduleId, Double similarity) {

    public static Citation of(int index, SearchHit hit) {
        return new Citation(index, hit.title(), hit.url(), hit.partId(), hit.moduleId(), hit.similarity());
    }
}
