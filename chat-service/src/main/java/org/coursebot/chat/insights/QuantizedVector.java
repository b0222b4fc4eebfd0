package org.coursebot.chat.insights;

/**
 * A question's vector as the question log keeps it: each component scaled so that the largest is ±127 and rounded to
 * a byte. Cosine similarity does not see the scale, and the rounding moves it by about 0.01 (the report groups
 * questions from 0.5 on), and the vector waits in a quarter of the heap and goes to pgvector as a third of the text
 * (the figures: docs/design.md, "Constraints measured, and what they forced").
 */
final class QuantizedVector {

    private QuantizedVector() {
    }

    static byte[] of(float[] vector) {
        float max = 0;
        for (float v : vector) {
            max = Math.max(max, Math.abs(v));
        }
        byte[] quantized = new byte[vector.length];
        if (max == 0) {
            return quantized;
        }
        float scale = 127 / max;
        for (int i = 0; i < vector.length; i++) {
            // Rounded half away from zero by hand: Math.round was 3% of chat-service's CPU samples under load (C1).
            float x = vector[i] * scale;
            quantized[i] = (byte) (x < 0 ? x - 0.5f : x + 0.5f);
        }
        return quantized;
    }

    /** pgvector's text form: {@code [12,-30,5]}. */
    static String text(byte[] quantized) {
        StringBuilder text = new StringBuilder(quantized.length * 4 + 2).append('[');
        for (int i = 0; i < quantized.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(quantized[i]);
        }
        return text.append(']').toString();
    }
}
