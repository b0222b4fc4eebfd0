package org.coursebot.ingest.insights;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long chat-service's question log keeps questions and feedback (docs/insights.md). */
@ConfigMapping(prefix = "coursebot.insights")
public interface RetentionConfig {

    /** Rows older than this are deleted (INSIGHTS_RETENTION). */
    @WithDefault("30d")
    Duration retention();

    /** How often they are looked for. */
    @WithDefault("1h")
    Duration retentionCheck();
}
