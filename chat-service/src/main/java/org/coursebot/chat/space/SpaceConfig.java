package org.coursebot.chat.space;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How chat-service follows the active embedding space. Its key keeps the {@code coursebot.search} prefix it was
 * documented under; SearchConfig maps the rest of that prefix.
 */
@ConfigMapping(prefix = "coursebot.search")
public interface SpaceConfig {

    /**
     * How often the active embedding space is read again ({@link ActiveSpace}): an activation by ingest-service is
     * searched within this time, without a restart.
     */
    @WithDefault("2s")
    Duration spacePollInterval();
}
