package org.coursebot.chat.search;

/**
 * The coverage decision: {@code covered}, the {@code reason} in a few words (for people, not for programs) and the
 * {@code signals} it was taken on.
 */
public record Coverage(boolean covered, String reason, CoverageSignals signals) {
}
