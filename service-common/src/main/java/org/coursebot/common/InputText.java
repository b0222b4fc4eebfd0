package org.coursebot.common;

/**
 * Text a client sent, made safe at the edge, before it reaches SQL, the embedder, the chat model or a log line.
 * Characters are removed, not rejected, so that a question pasted with stray control bytes is still answered:
 * NUL and the other C0 and C1 control characters except tab and newline (a CR is a newline), lone surrogates
 * (half a character: no encoder or database takes them), and the bidirectional embedding, override and isolate
 * controls (U+202A–U+202E, U+2066–U+2069), which can make a log line or an answer read other than it is.
 */
public final class InputText {

    private static final int DROPPED = -1;

    private InputText() {
    }

    /** {@code text} without the characters above; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            int kept = pair ? c : kept(c, i + 1 < text.length() ? text.charAt(i + 1) : 0);
            if (out == null && kept != c) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null && kept != DROPPED) {
                out.append((char) kept);
            }
            if (pair) {
                i++;
                if (out != null) {
                    out.append(text.charAt(i));
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** What stays of {@code c}: itself, a newline for a lone CR, or {@link #DROPPED}. */
    private static int kept(char c, char next) {
        if (c == '\t' || c == '\n') {
            return c;
        }
        if (c == '\r') {
            return next == '\n' ? DROPPED : '\n';
        }
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
            return DROPPED;
        }
        return c;
    }
}
