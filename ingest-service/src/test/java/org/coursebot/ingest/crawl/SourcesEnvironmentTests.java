package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.Test;

/** Sources configured through environment variables only, as on Render. */
class SourcesEnvironmentTests {

    @Test
    void bindsASourceFromEnvironmentVariables() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "COURSEBOT_SOURCES_FULLSTACK_BASE_URL", "https://fullstackopen.com/en/",
                        "COURSEBOT_SOURCES_FULLSTACK_MAX_PAGES", "50",
                        "COURSEBOT_SOURCES_FULLSTACK_DELAY", "2s",
                        "COURSEBOT_SOURCES_FULLSTACK_INCLUDE", "^/en/part1/,^/en/part2/"), 300))
                // Quarkus registers this converter ("2s", "250ms"); plain SmallRye does not
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(SourcesConfig.class)
                .build();

        SourcesConfig.Source source = config.getConfigMapping(SourcesConfig.class).sources().get("fullstack");
        assertThat(source.baseUrl()).isEqualTo("https://fullstackopen.com/en/");
        assertThat(source.maxPages()).isEqualTo(50);
        assertThat(source.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(source.include()).hasValueSatisfying(list -> assertThat(list).containsExactly("^/en/part1/", "^/en/part2/"));
        assertThat(source.maxDepth()).isEqualTo(10);
    }

    @Test
    void noSourcesIsAnEmptyMap() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SourcesConfig.class).build();
        assertThat(config.getConfigMapping(SourcesConfig.class).sources()).isEmpty();
    }
}
