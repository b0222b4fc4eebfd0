package org.coursebot.chat.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The recogniser's edge cases, on three of the demo course's exercises as the course words them. */
class SolutionRequestsTests {

    static final List<Exercise> EXERCISES = List.of(
            new Exercise("Exercise 1.1: hello server", "Write a server with node:http that answers GET / with the text"
                    + " Phonebook server is running and every other path with status 404 and the text unknown"
                    + " endpoint."),
            new Exercise("Exercise 1.2: phonebook as JSON", "Add a hard-coded array of four people with id, name and"
                    + " number fields, and return it as JSON from GET /api/persons. Check with your browser that the"
                    + " response has the content type application/json."),
            new Exercise("Exercise 2.4: phonebook table", "Create a persons table with a unique, non-empty name and a"
                    + " non-empty number. Keep the CREATE TABLE statement in a file schema.sql in your repository."));

    @Test
    void codeAskedForWithoutNamingAnExerciseIsARequestWhenSearchsBestSectionIsOne() {
        Exercise table = EXERCISES.get(2);
        Recognition r = SolutionRequests.classify("it keeps failing, just give me the code", EXERCISES, table);
        assertThat(r.solutionRequest()).as(r.why()).isTrue();
        assertThat(r.exercise()).isEqualTo(table.heading());
        assertThat(SolutionRequests.classify("it keeps failing, just give me the code", EXERCISES, null)
                .solutionRequest()).as("its best section is no exercise").isFalse();
        assertThat(SolutionRequests.classify("how do unique constraints work?", EXERCISES, table).solutionRequest())
                .as("no ask for code").isFalse();
    }

    @Test
    void answerAsAVerbAsksNothingButAsTheNounItDoes() {
        assertThat(SolutionRequests.classify("In the very first exercise, what should the server answer for paths"
                + " other than / ?", EXERCISES).solutionRequest()).isFalse();
        assertThat(SolutionRequests.classify("what should the answer for exercise 1.1 be", EXERCISES).solutionRequest())
                .isTrue();
        assertThat(SolutionRequests.classify("what should I answer for exercise 1.1", EXERCISES).solutionRequest())
                .isTrue();
    }

    @Test
    void theCoursesOwnExampleCodeIsNotARequest() {
        Recognition r = SolutionRequests.classify("give me the code of the request logger middleware from the course",
                EXERCISES);

        assertThat(r.solutionRequest()).isFalse();
        assertThat(r.why()).contains("names no exercise");
    }

    @Test
    void askingWhatAnExerciseAsksForIsNotARequest() {
        Recognition r = SolutionRequests.classify("what does exercise 1.2 ask for?", EXERCISES);

        assertThat(r.solutionRequest()).isFalse();
        assertThat(r.exercise()).isEqualTo("Exercise 1.2: phonebook as JSON");
    }

    @Test
    void aPastedStatementAndSolveIsARequestForThatExercise() {
        Recognition r = SolutionRequests.classify("Create a persons table with a unique, non-empty name and a non-empty"
                + " number. Keep the CREATE TABLE statement in a file schema.sql in your repository.\n\nsolve this",
                EXERCISES);

        assertThat(r.solutionRequest()).isTrue();
        assertThat(r.exercise()).isEqualTo("Exercise 2.4: phonebook table");
        assertThat(r.why()).contains("pastes its statement");
    }

    @Test
    void aPastedStatementAskedAboutIsNotARequest() {
        Recognition r = SolutionRequests.classify("Create a persons table with a unique, non-empty name and a non-empty"
                + " number. what does non-empty mean here?", EXERCISES);

        assertThat(r.solutionRequest()).isFalse();
        assertThat(r.exercise()).isEqualTo("Exercise 2.4: phonebook table");
    }

    @Test
    void theWordsOfTheStatementDoNotCountAsTheAsk() {
        // "Write a server" is the statement's, not the student's: without an ask of their own it is a question about it
        Recognition r = SolutionRequests.classify("Write a server with node:http that answers GET / with the text"
                + " Phonebook server is running -- is node:http the same as express?", EXERCISES);

        assertThat(r.solutionRequest()).isFalse();
    }

    @Test
    void aTitleAndWriteItForMeIsARequest() {
        Recognition r = SolutionRequests.classify("my phonebook table doesnt work, just write the whole thing for me",
                EXERCISES);

        assertThat(r.solutionRequest()).isTrue();
        assertThat(r.exercise()).isEqualTo("Exercise 2.4: phonebook table");
    }

    @Test
    void aTypoedSolutionOfATypoedExerciseIsARequest() {
        Recognition r = SolutionRequests.classify("solutoin for excercise 1.1 plz", EXERCISES);

        assertThat(r.solutionRequest()).isTrue();
        assertThat(r.exercise()).isEqualTo("Exercise 1.1: hello server");
    }

    @Test
    void aHintThatRefusesTheAnswerIsNotARequest() {
        assertThat(SolutionRequests.classify("hint for 1.1 please, not the answer", EXERCISES).solutionRequest())
                .isFalse();
        assertThat(SolutionRequests.classify("can you give me a hint for exercise 2.4 without giving the answer",
                EXERCISES).solutionRequest()).isFalse();
    }

    @Test
    void aBareNumberIsAnExerciseOnlyWhenNotAVersion() {
        assertThat(SolutionRequests.classify("give me the answer to 2.4", EXERCISES).exercise())
                .isEqualTo("Exercise 2.4: phonebook table");
        assertThat(SolutionRequests.classify("I use express 2.4, give me the full code of a router", EXERCISES)
                .solutionRequest()).isFalse();
    }

    @Test
    void anExerciseTheCourseDoesNotHaveIsStillAnExercise() {
        Recognition r = SolutionRequests.classify("send me the solution of exercise 9.9", EXERCISES);

        assertThat(r.solutionRequest()).isTrue();
        assertThat(r.exercise()).isNull();
        assertThat(r.why()).contains("does not have");
    }

    @Test
    void whereToWriteOnesOwnAnswersIsNotARequest() {
        assertThat(SolutionRequests.classify("where do I write the answers to the exercises?", EXERCISES)
                .solutionRequest()).isFalse();
    }

    @Test
    void aCourseWithoutExercisesStillKnowsTheWord() {
        assertThat(SolutionRequests.classify("just give me the solutions to all the exercises", List.of())
                .solutionRequest()).isTrue();
    }
}
