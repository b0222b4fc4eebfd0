package org.coursebot.chat.insights;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The question log and the staff's report (docs/insights.md). */
@ConfigMapping(prefix = "coursebot.insights")
public interface InsightsConfig {

    /**
     * Whether questions and feedback are logged. They are only when INSIGHTS_DATABASE_URL, the role that may only
     * INSERT into the log tables, sets the {@code insights} datasource: the search role is read-only.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The heap questions and feedback waiting to be written may take, estimated; past it, new ones are dropped and
     * counted. A question is estimated at 512 bytes + its text + its quantized vector (a byte a dimension) + 160 bytes
     * a citation: ~1.5 KB at 384 dimensions and ~2.6 KB at 1536, so 1 MB holds ~700 or ~400 of them, a write stalled
     * for ~4.5 or ~2.5 s at 150 questions a second. Why the bound is this low: docs/design.md, "Constraints measured,
     * and what they forced".
     */
    @WithDefault("1M")
    MemorySize queueMemory();

    /** Rows per INSERT statement (a 1536-dimension vector is ~15 KB as the text pgvector reads). */
    @WithDefault("50")
    int batchSize();

    /** How often what is waiting is written, at the latest. */
    @WithDefault("1s")
    Duration flushInterval();

    /**
     * A write that has not finished by then is cancelled by the database (statement_timeout) and counts as failed, so
     * that a stalled database does not stop the log for longer.
     */
    @WithDefault("10s")
    Duration writeTimeout();

    /**
     * The key of the client hash is derived from this secret and the day. Unset, a random one per process: a client
     * asking two instances, or one before and after a restart, counts as two.
     */
    Optional<String> clientKeySecret();

    /** Answers remembered in memory (~150 bytes each), so that feedback may name one that is not written yet. */
    @WithDefault("2000")
    int recentAnswers();

    /**
     * Cosine similarity from which two questions of the report are "the same question". 0.5: midway between the
     * least similar paraphrases (0.693) and the most similar unrelated uncovered questions (0.320) of the tuning sets
     * of InsightsSystemTests with the local model (docs/insights.md, "Grouping").
     */
    @WithDefault("0.5")
    double groupSimilarity();

    /** Uncovered and unhelpful questions the report groups at most (the newest). */
    @WithDefault("2000")
    int groupCandidates();
}
