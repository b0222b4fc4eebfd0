package org.coursebot.chat.search;

import java.util.List;

/**
 * The evidence the coverage decision weighs, returned with every search so that a decision can be explained.
 *
 * @param topSimilarity cosine similarity of the nearest section to the question (null without a question vector)
 * @param margin how far the nearest section is ahead of the second (null without two sections)
 * @param terms the question's searchable terms (lexemes of the text search configuration; stop words have none)
 * @param missingTerms those of {@code terms} that occur nowhere in the course
 * @param missingNames those of {@code missingTerms} written as names (capitalised inside a sentence, acronyms,
 *                     CamelCase, with digits or dots): the frameworks, products and tools a question is about
 * @param textAgrees whether the nearest section is also among the best full-text matches
 */
public record CoverageSignals(Double topSimilarity, Double margin, List<String> terms, List<String> missingTerms,
                              List<String> missingNames, boolean textAgrees) {
}
