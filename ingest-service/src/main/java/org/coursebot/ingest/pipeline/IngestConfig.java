package org.coursebot.ingest.pipeline;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

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

    /**
     * Pages whose new chunks are embedded together, so requests fill up across small pages; twice this many
     * changed pages may wait for the embedder (the bound on pages in flight).
     */
    @WithDefault("32")
    int pageGroupSize();

    /**
     * Longest the embedder, once free, waits for a slow site to fill a group before it embeds a partial one.
     * Never fails a run: groups are pulled by the embedder, not pushed by this timer.
     */
    @WithDefault("2s")
    Duration pageGroupWait();

    /**
     * Chunks a space build reads and embeds per step (a few requests' worth); cancellation and progress writes happen
     * between steps.
     */
    @WithDefault("256")
    int buildStep();

    /** A progress line (and a progress write to ingest_run) every this many pages ... */
    @WithDefault("10")
    int progressEveryPages();

    /**
     * ... or this often, whichever comes first. A killed process cannot write its counts: the run keeps those of
     * its last progress write, so this is how much of a dead run's progress can go unrecorded.
     */
    @WithDefault("5s")
    Duration progressInterval();

    /** Chunk size budget in tokens (cl100k_base). */
    @WithDefault("400")
    int chunkTokens();

    /** Overlap between consecutive chunks of a long section, in tokens. */
    @WithDefault("50")
    int overlapTokens();

    /**
     * USD (at least 0) a run may spend on embeddings, by the estimate of its dry run: a run estimated above it is
     * refused before its first embeddings request, and changes nothing ({@link RunCostCeiling}). Unset: no ceiling.
     */
    Optional<BigDecimal> maxRunCost();
}
