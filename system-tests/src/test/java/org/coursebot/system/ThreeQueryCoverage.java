package org.coursebot.system;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.coursebot.model.SearchHit;
import org.coursebot.system.ThreeQuerySearch.Candidate;
import org.coursebot.system.ThreeQuerySearch.QuestionTerm;

/**
 * chat-service's coverage decision as it was before issue 16 (CoverageDecision at git d776b39, with SearchConfig's
 * coverage defaults), the reference for {@link ThreeQuerySearch}: the signals computed in Java from the candidate
 * lists, and the rule over them. A copy; change it only to follow that commit. Which words are names is chat-service's
 * own since issue 27 (SearchedQuestion): the names come from the new path's {@code searched}.
 */
final class ThreeQueryCoverage {

    private static final Set<String> CONTRACTIONS = Set.of("doesn", "didn", "isn", "aren", "wasn", "weren", "won",
            "wouldn", "shouldn", "couldn", "hasn", "haven", "hadn", "don", "ain", "mustn", "needn", "m", "s", "t", "d",
            "ll", "re", "ve");
    private static final int AGREEMENT_DEPTH = 3;
    private static final double CONFIDENT_MARGIN = 0.25;
    private static final double MISSING_SHARE = 0.34;
    private static final int MISSING_MINIMUM = 2;

    private ThreeQueryCoverage() {
    }

    /** The old CoverageSignals: what the decision is taken on (see chat-service's CoverageSignals). */
    record Signals(Double topSimilarity, Double margin, List<String> terms, List<String> missingTerms,
                   List<String> missingNames, boolean textAgrees) {
    }

    /** Whether the course covers the question, and why in a few words. */
    record Decision(boolean covered, String reason) {
    }

    static Signals signals(String question, List<Candidate> nearest, List<Candidate> fullText, List<QuestionTerm> terms) {
        List<SearchHit> sections = ThreeQuerySearch.mergeSections(nearest, 2);
        Double top = sections.isEmpty() ? null : sections.get(0).similarity();
        Double margin = sections.size() < 2 || top == null ? null : top - sections.get(1).similarity();
        boolean agrees = false;
        if (!nearest.isEmpty()) {
            String best = nearest.get(0).sectionKey();
            agrees = fullText.stream().map(Candidate::sectionKey).distinct().limit(AGREEMENT_DEPTH).anyMatch(best::equals);
        }
        Set<String> all = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (QuestionTerm t : terms) {
            if (t.name() != null) {
                if (t.chunks() == 0) {
                    names.add(t.name());
                }
            } else if (!t.lexeme().contains("-") && !CONTRACTIONS.contains(t.lexeme())) {
                all.add(t.lexeme());
                if (t.chunks() == 0) {
                    missing.add(t.lexeme());
                }
            }
        }
        return new Signals(top, margin, new ArrayList<>(all), new ArrayList<>(missing), new ArrayList<>(names), agrees);
    }

    static Decision decide(Signals s, boolean anyHit, double threshold) {
        if (!anyHit) {
            return new Decision(false, "no section is similar enough");
        }
        if (s.topSimilarity() != null && s.topSimilarity() >= threshold + CONFIDENT_MARGIN) {
            return new Decision(true, "a section is clearly about this");
        }
        if (!s.missingNames().isEmpty()) {
            return new Decision(false, "the course never mentions " + String.join(", ", s.missingNames()));
        }
        int missing = s.missingTerms().size();
        if (missing >= MISSING_MINIMUM && missing >= MISSING_SHARE * s.terms().size()) {
            return new Decision(false, missing + " of the question's " + s.terms().size()
                    + " terms occur nowhere in the course");
        }
        return new Decision(true, "a section is similar enough and the course uses the question's terms");
    }
}
