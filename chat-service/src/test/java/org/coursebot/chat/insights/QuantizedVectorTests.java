package org.coursebot.chat.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class QuantizedVectorTests {

    @Test
    void cosineSimilarityMovesByLessThanOneHundredthAtTheDimensionsOfBothModels() {
        Random random = new Random(20);
        for (int dimension : new int[] {384, 1536}) {
            double worst = 0;
            for (int n = 0; n < 500; n++) {
                float[] a = gaussian(random, dimension);
                float[] b = mix(a, gaussian(random, dimension), random.nextFloat());
                double exact = cosine(a, b);
                double kept = cosine(toFloat(QuantizedVector.of(a)), toFloat(QuantizedVector.of(b)));
                worst = Math.max(worst, Math.abs(exact - kept));
            }
            assertThat(worst).as("largest change of a cosine at %d dimensions", dimension).isLessThan(0.01);
        }
    }

    @Test
    void theLargestComponentBecomesPlusOrMinus127AndTheTextIsPgvectors() {
        byte[] q = QuantizedVector.of(new float[] {0.5f, -1f, 0.25f, 0f});
        assertThat(q).containsExactly(64, -127, 32, 0);
        assertThat(QuantizedVector.text(q)).isEqualTo("[64,-127,32,0]");
        assertThat(QuantizedVector.of(new float[] {0f, 0f})).containsExactly(0, 0);
    }

    private static float[] gaussian(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] mix(float[] a, float[] b, float share) {
        float[] v = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = share * a[i] + (1 - share) * b[i];
        }
        return v;
    }

    private static float[] toFloat(byte[] q) {
        float[] v = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            v[i] = q[i];
        }
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
