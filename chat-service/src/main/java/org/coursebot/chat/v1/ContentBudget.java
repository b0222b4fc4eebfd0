package org.coursebot.chat.v1;

import java.nio.charset.StandardCharsets;

import org.coursebot.embedding.TokenCounter;

/**
 * The text of one answer as it is sent, within {@code max_tokens}: text is admitted piece by piece until it would
 * pass the limit, then cut at the limit and nothing more is admitted (finish_reason "length"). Streamed, an answer
 * is counted as it grows; so its cut can fall a token apart from the same answer cut whole.
 */
final class ContentBudget {

    private final TokenCounter counter;
    private final Integer maxTokens;
    private final StringBuilder sent = new StringBuilder();
    private boolean cut;

    /** @param maxTokens null for no limit */
    ContentBudget(TokenCounter counter, Integer maxTokens) {
        this.counter = counter;
        this.maxTokens = maxTokens;
    }

    /** The part of {@code piece} to send: all of it, what fits, or nothing once the limit is reached. */
    String admit(String piece) {
        if (cut || piece.isEmpty()) {
            return "";
        }
        String candidate = maxTokens == null ? null : sent + piece;
        // A token is at least one byte: text of at most maxTokens bytes needs no count.
        if (candidate == null || candidate.getBytes(StandardCharsets.UTF_8).length <= maxTokens
                || counter.count(candidate) <= maxTokens) {
            sent.append(piece);
            return piece;
        }
        cut = true;
        String kept = counter.truncate(candidate, maxTokens);
        if (kept.length() <= sent.length()) {
            return "";
        }
        String admitted = kept.substring(sent.length());
        sent.append(admitted);
        return admitted;
    }

    /** "length" when the text was cut, else "stop". */
    String finishReason() {
        return cut ? "length" : "stop";
    }

    /** Everything admitted so far. */
    String text() {
        return sent.toString();
    }

    /** The tokens of the text sent: usage's completion_tokens. */
    int tokens() {
        return counter.count(sent.toString());
    }
}
