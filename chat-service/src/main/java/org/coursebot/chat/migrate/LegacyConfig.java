package org.coursebot.chat.migrate;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where the old (Supabase) deployment's database is, for the old-vs-new comparison. */
@ConfigMapping(prefix = "coursebot.legacy")
public interface LegacyConfig {

    /**
     * The old database's URL as Supabase gives it, {@code ?sslmode=require} included (env LEGACY_DATABASE_URL).
     * Only ever read. Unset: {@code POST /admin/migration/compare} answers 404.
     */
    Optional<String> databaseUrl();
}
