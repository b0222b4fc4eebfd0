package org.coursebot.ingest.admin;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code coursebot.spaces.*}: changing the embedding model (docs/embedding-spaces.md). */
@ConfigMapping(prefix = "coursebot.spaces")
public interface SpacesConfig {

    /**
     * chat-service's base URL (env CHAT_SERVICE_URL; a bare host:port means http), asked before an activation whether
     * it can embed questions with the space's model. Unset: activations are refused, saying so.
     */
    Optional<String> chatUrl();

    /** The admin token chat-service expects; default this service's own (ADMIN_TOKEN). */
    Optional<String> chatToken();

    /** Time allowed for chat-service's answer (it embeds a probe text with the space's model). */
    @WithDefault("15s")
    Duration chatTimeout();

    /**
     * How long after a space stopped being active it may not be retired: chat-services still searching it until
     * their next poll ({@code coursebot.search.space-poll-interval}, 2 s) must not lose its table mid-question.
     */
    @WithDefault("30s")
    Duration retireGrace();
}
