package org.coursebot.chat.compare;

/** One result of a search, old or new, as the comparison shows it. */
public record RankedHit(String title, String url, Double similarity) {
}
