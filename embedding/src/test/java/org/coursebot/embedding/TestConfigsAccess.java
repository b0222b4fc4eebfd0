package org.coursebot.embedding;

import java.time.Duration;

/** Lets the benchmark (another package) parse durations the way the tests do. */
public final class TestConfigsAccess {

    private TestConfigsAccess() {
    }

    public static Duration duration(String value) {
        return TestConfigs.duration(value);
    }
}
