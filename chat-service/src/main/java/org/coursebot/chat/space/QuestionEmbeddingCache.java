package org.coursebot.chat.space;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded LRU map from question text to its vector: repeated questions cost no API call. */
final class QuestionEmbeddingCache {

    private final Map<String, float[]> entries;

    QuestionEmbeddingCache(int capacity) {
        int max = Math.max(0, capacity);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > max;
            }
        };
    }

    synchronized float[] get(String question) {
        return entries.get(question);
    }

    synchronized void put(String question, float[] vector) {
        entries.put(question, vector);
    }

    synchronized int size() {
        return entries.size();
    }
}
