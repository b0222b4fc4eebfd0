package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What is searched of a question, and what the coverage decision reads as its asking part and its names (issue 27). */
class SearchedQuestionTests {

    /**
     * The chat model's standalone question is model output, not trusted to be clean: personal details it carried over
     * from the conversation are left out of what is searched (and so of searchedFor and the log's searched_for), as
     * from any question.
     */
    @Test
    void aCondensedQuestionLeavesOutThePersonalDetailsTheModelCarriedOver() {
        SearchedQuestion searched = SearchedQuestion.condensed(
                "I'm Jonas Weber. How do I send JSON back from an Express route? Mail jonas.weber@example.org or call"
                        + " +358 40 774 1228.");
        assertThat(searched.followUp()).isTrue();
        assertThat(searched.text()).contains("How do I send JSON back from an Express route?")
                .doesNotContain("Jonas", "Weber", "example.org", "774");
        assertThat(searched.names()).doesNotContain("Jonas", "Weber");
    }

    @Test
    void personalDataIsLeftOutOfWhatIsSearchedAndOfTheNames() {
        SearchedQuestion q = SearchedQuestion.of("How do I read JSON in an Express route? My e-mail is"
                + " jane.doe@example.org and my phone is +358 40 1234567.");
        assertThat(q.text()).as("a sentence about the student is left out whole")
                .isEqualTo("How do I read JSON in an Express route?");
        assertThat(q.asked()).isEqualTo("How do I read JSON in an Express route?");
        assertThat(q.names()).containsExactly("JSON", "Express");
    }

    @Test
    void personalDataInASentenceThatAsksIsLeftOutAlone() {
        assertThat(SearchedQuestion.of("Why is request.body undefined when I POST from jane@example.org's laptop?").text())
                .isEqualTo("Why is request.body undefined when I POST from 's laptop?");
        String plain = "What does EADDRINUSE mean?\nMy server  won't start.";
        assertThat(SearchedQuestion.of(plain).text()).as("a question without personal data, as it is").isEqualTo(plain);
    }

    @Test
    void aQuestionToldInOneSentenceWithPersonalDataIsStillSearched() {
        // Found by the shell course's personal questions: the one sentence carried a number and did not open with a
        // question word, so it was left out whole and nothing was searched.
        SearchedQuestion q = SearchedQuestion.of("student id 2023481 here (Jonas Weber) - I ran sort -n lengths.txt >"
                + " lengths.txt and now lengths.txt is empty, what happened");
        assertThat(q.text()).doesNotContain("2023481").doesNotContain("Weber")
                .contains("I ran sort -n lengths.txt > lengths.txt and now");
        assertThat(q.asked()).isEqualTo(q.text());
        assertThat(q.names()).as("who writes is not a topic the course must mention").containsExactly("lengths.txt");
        assertThat(SearchedQuestion.of("Jonas Weber here, does Kubernetes restart my pod?").names())
                .containsExactly("Kubernetes");
        assertThat(SearchedQuestion.of("this is Priya Raman and I wonder why Docker ignores my .env file?").names())
                .containsExactly("Docker");
        assertThat(SearchedQuestion.of("I'm using Kubernetes, how do I restart a pod?").names())
                .as("not an introduction").containsExactly("Kubernetes");
        assertThat(SearchedQuestion.of("I think this is Docker Compose's fault, why does my app not start?").names())
                .as("not at the start of a sentence: not an introduction").contains("Docker", "Compose");
    }

    @Test
    void whatAStudentSaysAboutThemselvesIsNotWhatTheyAsk() {
        SearchedQuestion q = SearchedQuestion.of("Hi, this is Priya Raman from the Tuesday group. What causes the error"
                + " Cannot set headers after they are sent?");
        assertThat(q.asked()).isEqualTo("What causes the error Cannot set headers after they are sent?");
        assertThat(q.names()).containsExactly("Cannot");
        assertThat(SearchedQuestion.of("My classmate Matti Virtanen asked me this too: how do I undo a commit?").names())
                .isEmpty();
        assertThat(SearchedQuestion.of("I'm Jane Doe, 221B Baker Street, London. Why does git say detached HEAD?")
                .names()).containsExactly("HEAD");
    }

    @Test
    void aShortQuestionAsksWhatTheSentenceBeforeItNames() {
        SearchedQuestion q = SearchedQuestion.of("Deploying my application to Kubernetes with Helm: how do I do it?");
        assertThat(q.asked()).isEqualTo("Deploying my application to Kubernetes with Helm: how do I do it?");
        assertThat(q.names()).containsExactly("Kubernetes", "Helm");
        assertThat(SearchedQuestion.of("I get ECONNREFUSED when my app starts on Heroku. Why?").names())
                .containsExactly("ECONNREFUSED", "Heroku");
        assertThat(SearchedQuestion.of("Hi Matti. How do I undo a commit?").asked()).as("never a greeting")
                .isEqualTo("How do I undo a commit?");
    }

    @Test
    void namesWrittenAsCodeCountWhereverTheyAre() {
        SearchedQuestion q = SearchedQuestion.of("I get ECONNREFUSED when my app starts on Heroku. How should I find"
                + " out what is wrong with it?");
        assertThat(q.asked()).isEqualTo("How should I find out what is wrong with it?");
        assertThat(q.names()).as("a capitalised word outside the question is not read as a name")
                .containsExactly("ECONNREFUSED");
        assertThat(SearchedQuestion.of("How do I deploy my app to a Kubernetes cluster with Helm? Thanks, Jane").names())
                .containsExactly("Kubernetes", "Helm");
    }

    @Test
    void aSymptomToldWithAGreetingIsAskedWithoutTheGreeting() {
        SearchedQuestion q = SearchedQuestion.of("Hi, this is Priya Raman from the Tuesday group. my push got"
                + " '! [remote rejected] main -> main (protected branch hook declined)'. Thanks, Priya");
        assertThat(q.asked()).isEqualTo("my push got '! [remote rejected] main -> main (protected branch hook declined)'.");
        assertThat(q.names()).isEmpty();
        assertThat(SearchedQuestion.of("Hi there!").asked()).as("nothing but a greeting: asked whole").isEqualTo("Hi there!");
    }

    @Test
    void aQuestionWithoutAnAskingSentenceIsAskedWhole() {
        String symptom = "I created a version tag locally but it doesn't appear on the server.";
        assertThat(SearchedQuestion.of(symptom).asked()).isEqualTo(symptom);
        assertThat(SearchedQuestion.of("assert.equal says two arrays differ. They hold the same values").asked())
                .isEqualTo("assert.equal says two arrays differ. They hold the same values");
    }

    @Test
    void urlsAndPathsAreWhereNotWhat() {
        SearchedQuestion q = SearchedQuestion.of("Why does npm start fail? My repository is"
                + " https://github.com/janedoe/fullstack-exercises and the log shows"
                + " /home/jane/projects/notes-app/src/index.js:12:5 or C:\\Users\\jane\\app\\server.js");
        assertThat(q.names()).isEmpty();
        assertThat(q.text()).as("they stay in what is searched: a path or a URL may be what the question is about")
                .contains("https://github.com/janedoe/fullstack-exercises", "/home/jane/projects");
    }
}
