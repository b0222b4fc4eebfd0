package org.coursebot.ingest.extract;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coursebot.embedding.TokenCounter;

/**
 * The places where a text may be cut, each with the kind of boundary it is and the tokens of the stretch before
 * it. Every stretch between two cuts has at most {@code maxStretch} tokens: long sentences get word cuts, long
 * words get cuts inside them.
 */
final class TextCuts {

    static final int HARD = 0;
    static final int WORD = 1;
    static final int SENTENCE = 2;
    static final int LINE = 3;
    static final int PARAGRAPH = 4;

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[ \\t]*\\n\\s*");
    private static final Pattern LINE_BREAK = Pattern.compile("\\n");
    /** After . ! ? … and closing quotes/brackets, then spaces; or right after CJK full stops. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…][\"'”’)\\]]?)[ \\t]+(?=\\S)|(?<=[。！？])");
    private static final Pattern WORD_START = Pattern.compile("(?<=\\s)(?=\\S)");

    private final String text;
    private int size;
    private int[] positions;
    private int[] strengths;
    private int[] tokens;

    private TextCuts(String text, int capacity) {
        this.text = text;
        this.positions = new int[capacity];
        this.strengths = new int[capacity];
        this.tokens = new int[capacity];
    }

    static TextCuts of(String text, int maxStretch) {
        byte[] strength = new byte[text.length() + 1];
        mark(strength, text, SENTENCE_END, SENTENCE);
        mark(strength, text, LINE_BREAK, LINE);
        mark(strength, text, PARAGRAPH_BREAK, PARAGRAPH);
        strength[text.length()] = PARAGRAPH;
        TextCuts cuts = new TextCuts(text, 64);
        int previous = 0;
        for (int p = 1; p <= text.length(); p++) {
            if (strength[p] > 0) {
                cuts.addStretch(previous, p, strength[p], maxStretch);
                previous = p;
            }
        }
        return cuts;
    }

    /** Marks the end of each match (where the next unit starts) unless a stronger boundary is already there. */
    private static void mark(byte[] strength, String text, Pattern pattern, int kind) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            int p = m.end();
            if (p > 0 && p < text.length()) {
                strength[p] = (byte) Math.max(strength[p], kind);
            }
        }
    }

    private void addStretch(int from, int to, int kind, int maxStretch) {
        int count = TokenCounter.cl100k().count(text.substring(from, to));
        if (count <= maxStretch || to - from <= 1) {
            add(to, kind, count);
            return;
        }
        if (kind > WORD) {
            int previous = from;
            Matcher m = WORD_START.matcher(text).region(from + 1, to).useTransparentBounds(true);
            while (m.find()) {
                addStretch(previous, m.end(), WORD, maxStretch);
                previous = m.end();
            }
            if (previous > from) {
                addStretch(previous, to, kind, maxStretch);
                return;
            }
        }
        hardCuts(from, to, kind, maxStretch);
    }

    /** A word longer than the budget (a URL, minified code, unspaced script): cut by characters. */
    private void hardCuts(int from, int to, int kind, int maxStretch) {
        int step = Math.max(1, maxStretch);
        int p = from;
        while (p < to) {
            int end = Math.min(to, p + step);
            // Never split a surrogate pair.
            if (end < to && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            int count = TokenCounter.cl100k().count(text.substring(p, end));
            if (count > maxStretch && end - p > 2) {
                step = Math.max(1, step / 2);
                continue;
            }
            add(end, end == to ? kind : HARD, count);
            p = end;
        }
    }

    private void add(int position, int kind, int count) {
        if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
            strengths = Arrays.copyOf(strengths, size * 2);
            tokens = Arrays.copyOf(tokens, size * 2);
        }
        positions[size] = position;
        strengths[size] = kind;
        tokens[size] = count;
        size++;
    }

    int size() {
        return size;
    }

    int position(int i) {
        return positions[i];
    }

    int strength(int i) {
        return strengths[i];
    }

    /** Tokens of the stretch that ends at cut {@code i}. */
    int tokensBefore(int i) {
        return tokens[i];
    }

    /** Index of the first cut after {@code position}. */
    int indexAfter(int position) {
        int i = Arrays.binarySearch(positions, 0, size, position);
        return i >= 0 ? i + 1 : -i - 1;
    }

    String text(int from, int to) {
        return text.substring(from, to);
    }
}
