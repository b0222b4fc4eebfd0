package org.coursebot.ingest.pipeline;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How ingest runs behave. */
@ConfigMapping(prefix = "coursebot.ingest")
public interface IngestConfig {

    /** Connections of the reactive pool. */
    @WithDefault("8")
    int dbPoolSize();

    /** Run an ingest of every source once at start-up. */
    @WithDefault("false")
    boolean onStart();

    /** Pages whose new chunks are embedded together, so requests fill up across small pages. */
    @WithDefault("32")
    int pageGroupSize();

    /** Longest a page waits for its group to fill before it is embedded anyway. */
    @WithDefault("2s")
    Duration pageGroupWait();

    /** A progress line (and a progress write to ingest_run) every this many pages ... */
    @WithDefault("50")
    int progressEveryPages();

    /** ... or this often, whichever comes first. */
    @WithDefault("10s")
    Duration progressInterval();

    /** Chunk size budget in tokens (cl100k_base). */
    @WithDefault("400")
    int chunkTokens();

    /** Overlap between consecutive chunks of a long section, in tokens. */
    @WithDefault("50")
    int overlapTokens();
}
