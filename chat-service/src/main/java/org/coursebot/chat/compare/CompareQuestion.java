package org.coursebot.chat.compare;

/** A question of the comparison set; {@code expectedUrl} (optional) is the page, or section, that answers it. */
public record CompareQuestion(String question, String expectedUrl) {
}
