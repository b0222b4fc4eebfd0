package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.coursebot.chat.search.SearchRepository.QuestionTerm;
import org.coursebot.model.SearchHit;
import org.junit.jupiter.api.Test;

class CoverageDecisionTests {

    private static final double THRESHOLD = 0.35;
    private final CoverageDecision decision = new CoverageDecision(new SearchConfig.Coverage() {
        @Override
        public double confidentMargin() {
            return 0.25;
        }

        @Override
        public double missingShare() {
            return 0.34;
        }

        @Override
        public int missingMinimum() {
            return 2;
        }
    });

    @Test
    void aFollowUpNamingWhatTheCourseNeverMentionsIsNotCoveredHoweverCloseItsConversation() {
        SearchedQuestion followUp = SearchedQuestion.of("and how would I do that with Django?",
                List.of("How do I read JSON in an Express route?"));
        assertThat(followUp.followUp()).isTrue();
        assertThat(followUp.text()).isEqualTo("How do I read JSON in an Express route?\nand how would I do that with Django?");
        assertThat(followUp.asked()).as("what it asks is its own").isEqualTo("and how would I do that with Django?");
        assertThat(followUp.names()).containsExactly("Django");
        CoverageSignals signals = CoverageDecision.signals(nearest(0.72, 0.5), true, List.of(term("django", 0),
                name("Django", "django", 0)));
        assertThat(decision.decide(signals, true, THRESHOLD, true).covered()).isFalse();
        assertThat(decision.decide(signals, true, THRESHOLD, false).covered())
                .as("a question alone that close is about the section, whatever it names").isTrue();
    }

    @Test
    void aQuestionNamingWhatTheCourseNeverMentionsIsNotCoveredThoughASectionIsSimilar() {
        String question = "How do I deploy my app to a Kubernetes cluster with Helm?";
        assertThat(SearchedQuestion.of(question).names()).containsExactly("Kubernetes", "Helm");
        CoverageSignals signals = CoverageDecision.signals(nearest(0.44, 0.35), false, List.of(
                term("deploy", 5), term("app", 9), term("kubernet", 0), term("cluster", 1), term("helm", 0),
                name("Kubernetes", "kubernet", 0), name("Helm", "helm", 0)));
        assertThat(signals.missingNames()).containsExactly("Kubernetes", "Helm");
        Coverage coverage = decision.decide(signals, true, THRESHOLD, false);
        assertThat(coverage.covered()).isFalse();
        assertThat(coverage.reason()).isEqualTo("the course never mentions Kubernetes, Helm");
    }

    @Test
    void aSectionClearlyAboutTheQuestionCoversItWhateverItsWords() {
        CoverageSignals signals = CoverageDecision.signals(nearest(0.61, 0.4), false, List.of(term("made", 3), term("vscodium", 0), term("editor", 2), name("VSCodium", "vscodium", 0)));
        assertThat(decision.decide(signals, true, THRESHOLD, false).covered()).isTrue();
    }

    @Test
    void manyTermsTheCourseNeverUsesMeanNotCovered() {
        List<QuestionTerm> terms = List.of(term("nightly", 0), term("backup", 0), term("dump", 0), term("production", 4),
                term("database", 30), term("take", 2), term("run", 9));
        Coverage coverage = decision.decide(CoverageDecision.signals(nearest(0.45, 0.4), false, terms),
                true, THRESHOLD, false);
        assertThat(coverage.covered()).isFalse();
        assertThat(coverage.reason()).isEqualTo("3 of the question's 7 terms occur nowhere in the course");
    }

    @Test
    void oneUnknownWordInAShortQuestionIsNotEnough() {
        List<QuestionTerm> terms = List.of(term("recap", 0), term("middlewar", 12));
        assertThat(decision.decide(CoverageDecision.signals(nearest(0.5, 0.4), false, terms),
                true, THRESHOLD, false).covered()).isTrue();
    }

    @Test
    void nothingAboveTheThresholdIsNotCovered() {
        Coverage coverage = decision.decide(CoverageDecision.signals(nearest(0.2, 0.1), false, List.of()), false, THRESHOLD, false);
        assertThat(coverage.covered()).isFalse();
        assertThat(coverage.reason()).isEqualTo("no section is similar enough");
    }

    @Test
    void contractionsAndHyphenatedWholesAreNotTermsOfTheirOwn() {
        List<QuestionTerm> terms = List.of(term("doesn", 0), term("bug-fix", 0), term("bug", 3), term("fix", 4));
        CoverageSignals signals = CoverageDecision.signals(nearest(0.5, 0.4), false, terms);
        assertThat(signals.terms()).containsExactly("bug", "fix");
        assertThat(signals.missingTerms()).isEmpty();
    }

    @Test
    void aNameCountsAsMissingWhenAnyOfItsPartsIsNotInTheCourse() {
        String question = "How do I back up with pg_dump? My DATABASE_URL is set.";
        assertThat(SearchedQuestion.of(question).names()).containsExactly("pg_dump", "DATABASE_URL");
        CoverageSignals signals = CoverageDecision.signals(nearest(0.45, 0.4), false, List.of(
                name("pg_dump", "pg", 7), name("pg_dump", "dump", 0), name("DATABASE_URL", "databas", 20),
                name("DATABASE_URL", "url", 12)));
        assertThat(signals.missingNames()).containsExactly("pg_dump");
    }

    @Test
    void namesAreWrittenAsNames() {
        String q = "Should I use Redux or zustand with React? Also OAuth, express.json, es2022 and DATABASE_URL.";
        assertThat(SearchedQuestion.isName("Redux", q)).isNotEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("OAuth", q)).isNotEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("express.json", q)).isNotEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("es2022", q)).isNotEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("DATABASE_URL", q)).isNotEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("zustand", q)).as("lowercase: a word, as far as the rule can tell").isEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("Should", q)).as("capital at the start of a sentence").isEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("Also", q)).as("capital after a question mark").isEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("2.17", "Is git 2.17 new enough?")).as("a version").isEqualTo(SearchedQuestion.Name.NONE);
        assertThat(SearchedQuestion.isName("VS", "I use VS Code")).as("two letters are ambiguous").isEqualTo(SearchedQuestion.Name.NONE);
    }

    @Test
    void signalsCarryTheSimilarityOfTheNearestSectionAndItsLeadOverTheNext() {
        CoverageSignals signals = CoverageDecision.signals(nearest(0.6, 0.45), true, List.of());
        assertThat(signals.topSimilarity()).isEqualTo(0.6);
        assertThat(signals.margin()).isEqualTo(0.6 - 0.45, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(signals.textAgrees()).isTrue();
    }

    private static QuestionTerm term(String lexeme, int chunks) {
        return new QuestionTerm(null, lexeme, chunks);
    }

    private static QuestionTerm name(String name, String lexeme, int chunks) {
        return new QuestionTerm(name, lexeme, chunks);
    }

    /** The two sections nearest to the question, best first. */
    private static List<SearchHit> nearest(double first, double second) {
        return List.of(section("A", first), section("B", second));
    }

    private static SearchHit section(String heading, double similarity) {
        return new SearchHit(UUID.randomUUID(), heading, "https://c.example/p#" + heading, "text", "section", "1", "a",
                similarity);
    }
}
