package org.coursebot.ingest.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a section's readable text: whitespace in prose collapsed, paragraphs separated by a blank line,
 * list items and table rows one per line, code blocks verbatim as paragraphs of their own.
 */
final class SectionText {

    private final List<String> paragraphs = new ArrayList<>();
    private final StringBuilder paragraph = new StringBuilder();
    private int lineLength;
    private boolean pendingSpace;
    private String pendingPrefix;
    private int codeParagraphs;

    /** Appends prose; runs of whitespace become one space, and none at the start of a line. */
    void text(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = lineLength > 0;
                continue;
            }
            if (pendingPrefix != null) {
                paragraph.append(pendingPrefix);
                lineLength += pendingPrefix.length();
                pendingPrefix = null;
                pendingSpace = false;
            }
            if (pendingSpace) {
                paragraph.append(' ');
                lineLength++;
                pendingSpace = false;
            }
            paragraph.append(c);
            lineLength++;
        }
    }

    /** Starts a list item: a new line that will begin with {@code prefix} once it has text. */
    void item(String prefix) {
        lineBreak();
        pendingPrefix = prefix;
    }

    /** Separates table cells on one line. */
    void cell() {
        if (lineLength > 0) {
            paragraph.append(" | ");
            lineLength += 3;
        }
        pendingSpace = false;
    }

    /** A space unless the line is empty (an inline break inside a table cell). */
    void space() {
        pendingSpace = lineLength > 0;
    }

    /** Ends the line, if it has text; a list item's pending prefix survives (as in {@code <li><p>}). */
    void lineBreak() {
        if (lineLength > 0) {
            paragraph.append('\n');
            lineLength = 0;
        }
        pendingSpace = false;
    }

    void paragraphBreak() {
        String p = paragraph.toString().strip();
        if (!p.isEmpty()) {
            paragraphs.add(p);
        }
        paragraph.setLength(0);
        lineLength = 0;
        pendingSpace = false;
        pendingPrefix = null;
    }

    /** A code block, kept exactly as written apart from blank lines around it. */
    void verbatim(String code) {
        paragraphBreak();
        String trimmed = code.replaceFirst("^(?:[ \\t]*\\R)+", "").stripTrailing();
        if (!trimmed.isBlank()) {
            paragraphs.add(trimmed);
            codeParagraphs++;
        }
    }

    boolean isEmpty() {
        return paragraphs.isEmpty() && paragraph.toString().isBlank();
    }

    /** Whether every paragraph so far is a code block (and there is at least one). */
    boolean isOnlyCode() {
        paragraphBreak();
        return codeParagraphs > 0 && codeParagraphs == paragraphs.size();
    }

    /** The text so far, paragraphs joined by blank lines. */
    String content() {
        paragraphBreak();
        return String.join("\n\n", paragraphs);
    }
}
