package org.coursebot.chat.v1;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The OpenAI-compatible API (/v1): who may call it. */
@ConfigMapping(prefix = "coursebot.api")
public interface ApiConfig {

    /**
     * API keys of /v1, each {@code name:key} or a bare {@code key} (then named {@code key-} and the first 8 hex digits
     * of its SHA-256). Unset: /v1 is open, like /api. Set: /v1 wants {@code Authorization: Bearer <key>}, and each key
     * has its own rate-limit bucket, by name.
     */
    Optional<List<String>> keys();

    /**
     * The rate limit of each API key. A key usually stands for a whole front-end (an Open WebUI or a Discord bot that
     * a class shares), not for one student, so its default is far above the per-address limit of /api.
     */
    Rate rate();

    /** Per-key limits (only when keys are configured; without keys /v1 is limited per address, as /api). */
    interface Rate {
        /** Sustained requests a minute per key. */
        @WithDefault("600")
        int requestsPerMinute();

        /** Requests a key may make at once before the sustained rate applies. */
        @WithDefault("60")
        int burst();
    }
}
