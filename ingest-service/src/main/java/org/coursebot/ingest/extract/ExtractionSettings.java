package org.coursebot.ingest.extract;

import java.util.regex.Pattern;

import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

/**
 * How pages are cut into sections and chunks.
 *
 * @param partPattern regex with named groups {@code part} and/or {@code module}, found in the URL path; null for none
 * @param mainSelector CSS selector of the main content, tried before {@code main}/{@code article}; null for none
 * @param chunkTokens most cl100k_base tokens a chunk's embedding text (heading path + text) may have
 * @param overlapTokens tokens a split section repeats from the end of the previous chunk
 * @param exercises how the course marks its exercise sections; null for {@link ExerciseMarking#DEFAULTS}
 */
public record ExtractionSettings(Pattern partPattern, String mainSelector, int chunkTokens, int overlapTokens,
                                 ExerciseMarking exercises) {

    public static final int DEFAULT_CHUNK_TOKENS = 400;
    public static final int DEFAULT_OVERLAP_TOKENS = 50;
    /** Below this a heading path plus a sentence no longer fits; the splitter needs room to make progress. */
    public static final int MIN_CHUNK_TOKENS = 32;

    public ExtractionSettings {
        if (chunkTokens < MIN_CHUNK_TOKENS) {
            throw new IllegalArgumentException("chunk tokens must be at least " + MIN_CHUNK_TOKENS + ", got " + chunkTokens);
        }
        if (overlapTokens < 0 || overlapTokens > chunkTokens / 2) {
            throw new IllegalArgumentException("overlap tokens must be between 0 and half the chunk tokens ("
                    + chunkTokens / 2 + "), got " + overlapTokens);
        }
        if (exercises == null) {
            exercises = ExerciseMarking.DEFAULTS;
        }
        if (mainSelector != null && mainSelector.isBlank()) {
            mainSelector = null;
        }
        if (mainSelector != null) {
            try {
                QueryParser.parse(mainSelector);
            } catch (Selector.SelectorParseException e) {
                throw new IllegalArgumentException("main selector is not valid CSS: " + mainSelector, e);
            }
        }
    }

    /** No part pattern, no main selector, 400-token chunks with 50 tokens of overlap, exercises marked the default way. */
    public static ExtractionSettings defaults() {
        return new ExtractionSettings(null, null, DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS, ExerciseMarking.DEFAULTS);
    }

    public ExtractionSettings withPartPattern(Pattern pattern) {
        return new ExtractionSettings(pattern, mainSelector, chunkTokens, overlapTokens, exercises);
    }

    public ExtractionSettings withMainSelector(String selector) {
        return new ExtractionSettings(partPattern, selector, chunkTokens, overlapTokens, exercises);
    }

    public ExtractionSettings withChunking(int tokens, int overlap) {
        return new ExtractionSettings(partPattern, mainSelector, tokens, overlap, exercises);
    }

    public ExtractionSettings withExercises(ExerciseMarking marking) {
        return new ExtractionSettings(partPattern, mainSelector, chunkTokens, overlapTokens, marking);
    }
}
