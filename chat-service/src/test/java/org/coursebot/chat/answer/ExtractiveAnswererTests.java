package org.coursebot.chat.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.coursebot.model.SearchHit;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTests {

    private final ExtractiveAnswerer answerer = new ExtractiveAnswerer(2, 1);

    @Test
    void quotesTheSentenceThatSharesMostWithTheQuestionAndCitesIt() {
        SearchHit hit = hit("Middleware", "Express runs middleware in order. The express.json() middleware parses JSON request bodies. "
                + "Static files are served by express.static.");
        Answer answer = answerer.answer("How do I parse JSON bodies in Express?", List.of(hit), false);
        assertThat(answer.answer()).contains("express.json() middleware parses JSON request bodies").endsWith("[1]")
                .doesNotContain("Static files");
        assertThat(answer.citations()).singleElement().satisfies(c -> {
            assertThat(c.index()).isEqualTo(1);
            assertThat(c.url()).isEqualTo("https://c.example/p#middleware");
        });
        assertThat(answer.covered()).isTrue();
        assertThat(answer.mode()).isEqualTo(AnswerMode.EXTRACTIVE);
    }

    @Test
    void numbersEachQuotedPassage() {
        Answer answer = answerer.answer("npm", List.of(hit("A", "npm one."), hit("B", "npm two."), hit("C", "npm three.")), false);
        assertThat(answer.citations()).hasSize(2);
        assertThat(answer.answer()).contains("[1]").contains("[2]").doesNotContain("[3]");
    }

    @Test
    void notCoveredSaysSoAndSuggestsTheClosestSections() {
        Answer answer = ExtractiveAnswerer.notCovered(List.of(hit("Deployment", "x")), AnswerMode.EXTRACTIVE, false);
        assertThat(answer.covered()).isFalse();
        assertThat(answer.answer()).startsWith("The course material does not seem to cover").contains("Deployment [1]");
    }

    @Test
    void notCoveredWithNothingCloseSuggestsNothing() {
        Answer answer = ExtractiveAnswerer.notCovered(List.of(), AnswerMode.EXTRACTIVE, false);
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.answer()).doesNotContain("closest");
    }

    @Test
    void splitsParagraphsAndSentences() {
        assertThat(ExtractiveAnswerer.sentences("One. Two?\n\nThree, still three.")).containsExactly("One.", "Two?", "Three, still three.");
    }

    @Test
    void neverSplitsInsideAUrlAPathOrAnAbbreviation() {
        String paragraph = "The part of a URL after the question mark, as in /api/notes?important=true&limit=10, is the "
                + "query string. It does not take part in route matching. Open http://localhost:3001/api/notes?x=1 in a browser.";
        assertThat(ExtractiveAnswerer.sentences(paragraph)).containsExactly(
                "The part of a URL after the question mark, as in /api/notes?important=true&limit=10, is the query string.",
                "It does not take part in route matching.",
                "Open http://localhost:3001/api/notes?x=1 in a browser.");
    }

    @Test
    void quotesListItemsButNeverPartOfATableOrACodeBlock() {
        String content = "Before deploying, check:\n\n- the port comes from process.env.PORT.\n- the start script runs node.\n\n"
                + "Field | Meaning\nname | The package name\n\nOn branch main\nnothing to commit, working tree clean";
        assertThat(ExtractiveAnswerer.sentences(content)).containsExactly("Before deploying, check:",
                "the port comes from process.env.PORT.", "the start script runs node.");
    }

    @Test
    void quotesTheMatchingSentenceWithItsNeighboursNotThePassagesFirstSentences() {
        ExtractiveAnswerer three = new ExtractiveAnswerer(1, 2);
        String content = "Node has a module system. It has two in fact. Packages live in node_modules. "
                + "The lock file pins every version of every package. Commit the lock file. Nothing else matters here.";
        Answer answer = three.answer("Why does npm write a lock file, and should I commit it?", List.of(hit("Lock", content)), false);
        assertThat(answer.answer()).contains("The lock file pins every version of every package. Commit the lock file.")
                .doesNotContain("module system");
    }

    @Test
    void marksWhereQuotedSentencesLeaveTextOut() {
        ExtractiveAnswerer two = new ExtractiveAnswerer(1, 2);
        String content = "Alpha deploys. Beta is unrelated. Gamma is unrelated too. Delta deploys as well.";
        assertThat(two.answer("deploys", List.of(hit("X", content)), false).answer())
                .contains("Alpha deploys. … Delta deploys as well.");
    }

    @Test
    void leavesCodeBlocksOutOfTheQuotedSentences() {
        String content = "Validate what arrives before you store it.\n\napp.post('/api/notes', (request, response) => {\n"
                + "  const { content } = request.body\n  if (typeof content !== 'string') {\n\nWithout the check, the handler stores a broken note.";
        assertThat(ExtractiveAnswerer.sentences(content))
                .containsExactly("Validate what arrives before you store it.", "Without the check, the handler stores a broken note.");
    }

    private static SearchHit hit(String title, String content) {
        return new SearchHit(UUID.randomUUID(), title, "https://c.example/p#" + title.toLowerCase(), content, "section", "1", "a", 0.7);
    }
}
