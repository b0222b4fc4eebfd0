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
        assertThat(answer.mode()).isEqualTo("extractive");
    }

    @Test
    void numbersEachQuotedPassage() {
        Answer answer = answerer.answer("npm", List.of(hit("A", "npm one."), hit("B", "npm two."), hit("C", "npm three.")), false);
        assertThat(answer.citations()).hasSize(2);
        assertThat(answer.answer()).contains("[1]").contains("[2]").doesNotContain("[3]");
    }

    @Test
    void notCoveredSaysSoAndSuggestsTheClosestSections() {
        Answer answer = ExtractiveAnswerer.notCovered(List.of(hit("Deployment", "x")), "extractive", false);
        assertThat(answer.covered()).isFalse();
        assertThat(answer.answer()).startsWith("The course material does not seem to cover").contains("Deployment [1]");
    }

    @Test
    void notCoveredWithNothingCloseSuggestsNothing() {
        Answer answer = ExtractiveAnswerer.notCovered(List.of(), "extractive", false);
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.answer()).doesNotContain("closest");
    }

    @Test
    void splitsParagraphsAndSentences() {
        assertThat(ExtractiveAnswerer.sentences("One. Two?\n\nThree\nstill three.")).containsExactly("One.", "Two?", "Three still three.");
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
