package org.coursebot.model;

/** A numbered source of an answer, as the chat API returns it. */
public record Citation(int index, String title, String url, String partId, String moduleId, double similarity) {
}
