package org.coursebot.chat.v1;

import java.util.List;

import org.coursebot.chat.answer.Answer;
import org.coursebot.model.Citation;

/**
 * The text /v1 returns: the answer, then its sources as a numbered Markdown list of links, so that a chat front-end
 * that knows nothing of {@code citations} still shows where the answer comes from. Items keep the numbers the answer
 * cites ([1], [3]); a Markdown renderer may renumber a list that skips one.
 */
final class AnswerContent {

    private AnswerContent() {
    }

    /** The answer followed by its sources. */
    static String of(Answer answer) {
        return answer.answer() + sources(answer.citations());
    }

    /** {@code \n\nSources:\n1. [Title](url)...}, or nothing when nothing is cited. */
    static String sources(List<Citation> citations) {
        if (citations.isEmpty()) {
            return "";
        }
        StringBuilder list = new StringBuilder("\n\nSources:");
        for (Citation c : citations) {
            list.append('\n').append(c.index()).append(". [").append(linkText(c.title())).append("](")
                    .append(linkTarget(c.url())).append(')');
        }
        return list.toString();
    }

    /** A title as link text: brackets and backslashes escaped, so a title cannot end the link early. */
    private static String linkText(String title) {
        String text = title == null || title.isBlank() ? "source" : title.strip();
        return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("\n", " ");
    }

    /** A URL as a link target: the characters that would end or break it percent-encoded. */
    private static String linkTarget(String url) {
        return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
                .replace(">", "%3E");
    }
}
