package org.coursebot.chat.api;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The chat API's web settings. */
@ConfigMapping(prefix = "coursebot.chat")
public interface ChatConfig {

    /** Connections of the reactive pool. */
    @io.smallrye.config.WithDefault("8")
    int dbPoolSize();

    /** Frontend origins allowed by CORS (also wired into quarkus.http.cors.origins). Empty: same origin only. */
    Optional<List<String>> allowedOrigins();

    /**
     * A folder of static HTML served at /course/ — for the local demo only, where the sample course has no
     * public site for citations to point at. Unset in production.
     */
    Optional<String> demoCourseDirectory();
}
