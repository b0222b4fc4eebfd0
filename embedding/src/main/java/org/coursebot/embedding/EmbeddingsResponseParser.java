package org.coursebot.embedding;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Streams an embeddings response straight into float arrays (a 2,048-input response is tens of MB of JSON;
 * a tree of boxed doubles would be several times that). Places each vector by its {@code index}, and
 * rejects a response that misses, repeats or adds an index, or has the wrong dimension.
 */
final class EmbeddingsResponseParser {

    private static final JsonFactory JSON = new JsonFactory();

    private EmbeddingsResponseParser() {
    }

    static RemoteEmbeddings parse(byte[] body, int expected, int dimension) throws IOException {
        float[][] vectors = new float[expected][];
        int promptTokens = -1;
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                if (field.equals("data")) {
                    readData(p, vectors, dimension);
                } else if (field.equals("usage")) {
                    promptTokens = readPromptTokens(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        for (int i = 0; i < expected; i++) {
            if (vectors[i] == null) {
                throw new IllegalArgumentException("no embedding for input " + i);
            }
        }
        return new RemoteEmbeddings(Arrays.asList(vectors), promptTokens);
    }

    private static void readData(JsonParser p, float[][] vectors, int dimension) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = -1;
            float[] vector = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (field.equals("index")) {
                    index = p.getIntValue();
                } else if (field.equals("embedding")) {
                    vector = value == JsonToken.VALUE_STRING ? fromBase64(p.getText()) : readFloats(p, dimension);
                } else {
                    p.skipChildren();
                }
            }
            if (index < 0 || index >= vectors.length || vectors[index] != null) {
                throw new IllegalArgumentException("unexpected or repeated index " + index);
            }
            if (vector == null || vector.length != dimension) {
                throw new IllegalArgumentException("embedding " + index + " has "
                        + (vector == null ? 0 : vector.length) + " dimensions, expected " + dimension);
            }
            vectors[index] = vector;
        }
    }

    private static float[] readFloats(JsonParser p, int dimension) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        float[] values = new float[dimension];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[n++] = p.getFloatValue();
        }
        return n == values.length ? values : Arrays.copyOf(values, n);
    }

    private static float[] fromBase64(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static int readPromptTokens(JsonParser p) throws IOException {
        int tokens = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.getCurrentName();
            p.nextToken();
            if (field.equals("prompt_tokens")) {
                tokens = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
        return tokens;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + ", found " + actual);
        }
    }
}
