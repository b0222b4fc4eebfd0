package org.coursebot.chat.search;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How questions are matched against the course. */
@ConfigMapping(prefix = "coursebot.search")
public interface SearchConfig {

    /**
     * Similarity below which a hit does not count, per embedding model (the searched space's model); the defaults
     * are in application.properties. Cosine ranges differ by model, so one constant cannot serve: ada-002 scores nearly any pair above 0.7.
     */
    Map<String, Double> thresholds();

    /** Used for a model missing from {@link #thresholds()}. */
    @WithDefault("0.3")
    double defaultThreshold();

    /** Fuse PostgreSQL full-text search with the vector ranking (reciprocal rank fusion). */
    @WithDefault("true")
    boolean hybrid();

    /**
     * Search a follow-up ("and how do I send it back?") together with the earlier question it leans on
     * (QuestionInContext); false: every question alone, whatever came before.
     */
    @WithDefault("true")
    boolean followUps();

    /**
     * A question of at most this many words that does not lean on the conversation by its words but that the course
     * does not cover alone is searched once more with the conversation's topic (QuestionInContext.topic), and taken
     * so when that is covered: "I'd already pushed it to main and a classmate pulled it. is it still ok to do
     * that?" says what it leans on only by being asked after a question on rebasing. 0: never.
     */
    @WithDefault("30")
    int followUpRetryWords();

    /** The k of reciprocal rank fusion: 1/(k + rank); 60 is the value of the original paper. */
    @WithDefault("60")
    int rrfK();

    /** A full-text hit may sit this far below the threshold and still count (exact terms embeddings blur). */
    @WithDefault("0.1")
    double fullTextMargin();

    /** Candidates fetched per list before fusion and merging, as a multiple of k. */
    @WithDefault("4")
    int candidateFactor();

    /**
     * HNSW search breadth (hnsw.ef_search), set on each connection of the pool when it opens (SearchPoolCreator),
     * with hnsw.iterative_scan=strict_order so that a search taking more candidates than this still gets them, in
     * order.
     */
    @WithDefault("80")
    int efSearch();

    /**
     * A search in one course of at most this many chunks, and at most half of all chunks, compares the question with
     * each of them (exact, in time proportional to the course: about 4 µs a chunk at 384 dimensions, 15 at 1536)
     * instead of walking the HNSW graph of every course, which a question the course does not cover sends past most
     * of the other courses' chunks (docs/benchmarks.md, "A university on one database"). 0: always the graph.
     */
    @WithDefault("5000")
    int courseScanMaxChunks();

    /** PostgreSQL text search configuration; must match the migration's. */
    @WithDefault("english")
    String textSearchConfig();

    /** The coverage decision (see CoverageDecision). */
    Coverage coverage();

    interface Coverage {
        /**
         * The nearest section's similarity this far above the threshold counts as covered whatever the question's
         * words; below it, a name or too many terms the course never uses mean "not covered".
         */
        @WithDefault("0.25")
        double confidentMargin();

        /** Share of the question's terms that, absent from the whole course, mean "not covered". */
        @WithDefault("0.34")
        double missingShare();

        /** ... and at least this many of them (one unknown word in a short question is not enough). */
        @WithDefault("2")
        int missingMinimum();
    }
}
