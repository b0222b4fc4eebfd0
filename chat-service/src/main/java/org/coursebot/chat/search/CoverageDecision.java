package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.coursebot.chat.search.SearchRepository.QuestionTerm;
import org.coursebot.model.SearchHit;

/** Whether the course answers a question: the signals, and the rule over them. Pure: no I/O. */
public final class CoverageDecision {

    /**
     * What the parser leaves of "doesn't", "I'm", "won't": not words a course would contain. (Hyphenated wholes,
     * "bug-fix", are left out too: their parts are terms of their own.)
     */
    private static final Set<String> CONTRACTIONS = Set.of("doesn", "didn", "isn", "aren", "wasn", "weren", "won",
            "wouldn", "shouldn", "couldn", "hasn", "haven", "hadn", "don", "ain", "mustn", "needn", "m", "s", "t", "d",
            "ll", "re", "ve");

    /**
     * What the decision is taken on: the sections nearest to the question (best first, whatever their similarity),
     * whether the nearest is among the best full-text matches, and the terms of what the question asks and its names
     * ({@link SearchedQuestion}).
     */
    static CoverageSignals signals(List<SearchHit> closest, boolean textAgrees, List<QuestionTerm> terms) {
        Double top = closest.isEmpty() ? null : closest.get(0).similarity();
        Double margin = closest.size() < 2 || top == null ? null : top - closest.get(1).similarity();
        Set<String> all = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (QuestionTerm t : terms) {
            if (t.name() != null) {
                if (t.chunks() == 0) {
                    names.add(t.name()); // one part the course never uses is enough: "pg_dump" is not "pg"
                }
            } else if (!t.lexeme().contains("-") && !CONTRACTIONS.contains(t.lexeme())) {
                all.add(t.lexeme());
                if (t.chunks() == 0) {
                    missing.add(t.lexeme());
                }
            }
        }
        return new CoverageSignals(top, margin, new ArrayList<>(all), new ArrayList<>(missing), new ArrayList<>(names),
                textAgrees);
    }

    private final double confidentMargin;
    private final double missingShare;
    private final int missingMinimum;

    CoverageDecision(SearchConfig.Coverage config) {
        this.confidentMargin = config.confidentMargin();
        this.missingShare = config.missingShare();
        this.missingMinimum = config.missingMinimum();
    }

    /**
     * The rule, fitted on the tuning part of both sample courses' question sets (docs/benchmarks.md, "Coverage"):
     * <ol>
     * <li>no section clears the threshold (and no full-text match comes near it): not covered;</li>
     * <li>the nearest section is similar by {@code confidentMargin} more than the threshold: covered — the course
     * has a section about this, whatever words the question uses;</li>
     * <li>otherwise the question's words decide: it names something the course never mentions (a framework, a
     * product, an acronym), or at least {@code missingMinimum} and {@code missingShare} of its terms occur
     * nowhere in the course: not covered. Similarity alone cannot tell these apart: a question about Kubernetes
     * is as close to a deployment section as a question the section answers.</li>
     * </ol>
     * A follow-up ({@code followUp}: searched with the earlier question it leans on) that names what the course never
     * mentions is not covered, however close the sections found for its conversation (rule 3 before rule 2).
     */
    Coverage decide(CoverageSignals s, boolean anyHit, double threshold, boolean followUp) {
        if (!anyHit) {
            return new Coverage(false, "no section is similar enough", s);
        }
        Coverage unknownNames = s.missingNames().isEmpty() ? null
                : new Coverage(false, "the course never mentions " + String.join(", ", s.missingNames()), s);
        if (followUp && unknownNames != null) {
            // Searched with the question it follows, which the course answered: the similarity says little of what
            // this one adds ("and how would I do that with Django?").
            return unknownNames;
        }
        if (s.topSimilarity() != null && s.topSimilarity() >= threshold + confidentMargin) {
            return new Coverage(true, "a section is clearly about this", s);
        }
        if (unknownNames != null) {
            return unknownNames;
        }
        int missing = s.missingTerms().size();
        if (missing >= missingMinimum && missing >= missingShare * s.terms().size()) {
            return new Coverage(false, missing + " of the question's " + s.terms().size()
                    + " terms occur nowhere in the course", s);
        }
        return new Coverage(true, "a section is similar enough and the course uses the question's terms", s);
    }
}
