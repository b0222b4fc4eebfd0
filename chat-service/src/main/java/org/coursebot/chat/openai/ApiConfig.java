package org.coursebot.chat.openai;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The OpenAI-compatible API (/v1): who may call it. */
@ConfigMapping(prefix = "coursebot.api")
public interface ApiConfig {

    /**
     * API keys of /v1, each {@code name:key} or a bare {@code key} (then named {@code key-} and the first 8 hex digits
     * of its SHA-256). Unset: /v1 is open, like /api. Set: /v1 wants {@code Authorization: Bearer <key>}, and each key
     * has its own rate-limit bucket, by name.
     */
    Optional<List<String>> keys();
}
