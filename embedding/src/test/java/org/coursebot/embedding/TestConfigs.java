package org.coursebot.embedding;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Builds an {@link EmbeddingConfig} from a few keys, the way Quarkus would. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** Quarkus's duration syntax (200ms, 5s, 1m), which plain SmallRye Config does not know. */
    static Duration duration(String value) {
        String v = value.trim();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.parse(v);
    }

    static EmbeddingConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .withMapping(EmbeddingConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .withConverter(Duration.class, 200, TestConfigs::duration)
                .build()
                .getConfigMapping(EmbeddingConfig.class);
    }
}
