package org.coursebot.chat.space;

/**
 * {@code GET /admin/spaces/{id}/embeddable}: chat-service embedded a probe text into the space, and the vector had
 * the space's dimension, in {@code probeMillis} (the local model's loading not included).
 */
public record Embeddability(int id, String provider, String model, int dimension, boolean embeddable,
                            long probeMillis) {
}
