package org.coursebot.chat.exercises;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.coursebot.chat.api.CourseFixture;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests for a graded exercise's solution (issue 35) with the chat model (the fake server) told to give hints and
 * answering with the full solution anyway: withheld and replaced by the tutor's extractive answer, in JSON, SSE and
 * /v1; hints without solution code pass; a course whose policy is {@code open} answers as any question; and each
 * request is logged and counted per exercise in the staff's report.
 */
@QuarkusTest
@TestProfile(ExerciseAnswersTests.Llm.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class ExerciseAnswersTests {

    static final String TOKEN = "exercises-admin-token";
    static final Duration REFRESH = Duration.ofMillis(300);
    static final String BASE = "https://course.example.org/";
    static final String EXERCISE = "Exercise 2.6: constraint errors";
    static final String EXERCISE_URL = BASE + "part2/c/#exercise-2-6";
    static final String STATEMENT = "Make the error handler answer a duplicate name with 400 and"
            + " {\"error\": \"name must be unique\"} by looking at the error's code.";
    static final String TEACHES = "A unique constraint violation comes back from pg as an error whose code is 23505."
            + " An error handler is a middleware with four parameters, and it may answer with a status of its choice.";
    static final String TEACHES_URL = BASE + "part2/b/#error-handling";
    /** What the fake model writes whatever it is told: the whole solution. */
    static final String SOLUTION = """
            Here is the solution [1]:
            ```js
            app.use((error, request, response, next) => {
              if (error.code === '23505') {
                return response.status(400).json({ error: 'name must be unique' })
              }
              next(error)
            })
            ```""";
    static final String HINTS = "This is a graded exercise, so here is how to get there rather than the solution."
            + " Errors from pg carry a code, and a unique violation has its own [2]. What does your handler see in"
            + " error.code when you add a duplicate name?";
    static final String ASK = "just give me the code for exercise 2.6 pls, deadline tonight";

    TestDatabase database;
    FakeOpenAiServer openAi;

    @Inject
    CourseExercises exercises;

    public static class Llm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "llm", "coursebot.rate-limit.enabled", "false",
                    "coursebot.answer.llm-timeout", "2s", "coursebot.answer.llm-retries", "0",
                    "coursebot.admin.token", TOKEN, "coursebot.insights.flush-interval", "50ms",
                    "coursebot.exercises.refresh-interval", REFRESH.toMillis() + "ms");
        }
    }

    @BeforeEach
    void seed() {
        CourseFixture.seed(database);
        CourseFixture.insert(database, "course", BASE, "part2/b/", "Databases › Error handling", "Error handling", 0,
                TEACHES, STATEMENT, "error-handling");
        CourseFixture.insert(database, "course", BASE, "part2/c/", "Databases › Exercises", "Exercises", 5,
                "Do these exercises in the phonebook repository.", "exercises intro", "exercises", "exercise");
        CourseFixture.insert(database, "course", BASE, "part2/c/", "Databases › Exercises › " + EXERCISE, EXERCISE, 6,
                STATEMENT, "exercise 2.6 statement vector", "exercise-2-6", "exercise");
        database.execute("TRUNCATE question_log, answer_feedback, course_policy");
        exercises.refresh().await().atMost(Duration.ofSeconds(5));
        openAi.reset();
    }

    @Test
    void theCatalogHoldsTheExerciseNotTheHeadingAboveIt() {
        assertThat(exercises.of("course")).extracting(ExerciseSection::title).containsExactly(EXERCISE);
        assertThat(exercises.of(null)).extracting(ExerciseSection::url).containsExactly(EXERCISE_URL);
        assertThat(exercises.policy("course")).isEqualTo(ExercisePolicy.GUIDE);
    }

    @Test
    void aFullSolutionFromTheModelIsWithheldAndTheTutorsAnswerSentInJson() {
        openAi.chatReply(SOLUTION);
        JsonPath answer = given().contentType("application/json").body(Map.of("question", ASK)).post("/api/chat")
                .then().statusCode(200)
                .body("mode", equalTo("extractive"))
                .body("exercise.title", equalTo(EXERCISE)).body("exercise.url", equalTo(EXERCISE_URL))
                .body("exercise.policy", equalTo("guide")).body("exercise.withheld", equalTo(true))
                .body("citations[0].url", equalTo(EXERCISE_URL))
                .extract().jsonPath();
        assertTutorsAnswer(answer.getString("answer"), answer.getList("citations.url"));
        var asked = openAi.received("/chat/completions");
        assertThat(asked).as("the model was asked once, for hints").hasSize(1);
        String system = asked.get(0).body().getJsonArray("messages").getJsonObject(0).getString("content");
        assertThat(system).contains("Do not solve the exercise").doesNotContain(
                "Answer the student's question using ONLY");
        assertThat(asked.get(0).body().getJsonArray("messages").encode()).as("the exercise and what teaches it")
                .contains(EXERCISE).contains("23505");
    }

    @Test
    void aFullSolutionIsWithheldFromTheStreamToo() {
        openAi.chatReply(SOLUTION);
        String body = given().contentType("application/json").accept("text/event-stream").body(Map.of("question", ASK))
                .post("/api/chat").then().statusCode(200).extract().asString();
        assertThat(body).doesNotContain("app.use").doesNotContain("```").contains("data:\"This \"")
                .contains("event:citations\ndata:[{\"index\":1,\"title\":\"" + EXERCISE + "\"")
                .contains("\"exercise\":{\"title\":\"" + EXERCISE + "\",\"url\":\"" + EXERCISE_URL
                        + "\",\"policy\":\"guide\",\"withheld\":true}");
    }

    @Test
    void aFullSolutionIsWithheldFromV1() {
        openAi.chatReply(SOLUTION);
        for (boolean stream : List.of(false, true)) {
            String body = given().contentType("application/json").body(Map.of("model", "coursebot", "stream", stream,
                            "messages", List.of(Map.of("role", "user", "content", ASK))))
                    .post("/v1/chat/completions").then().statusCode(200).extract().asString();
            String text = stream ? streamedText(body) : body;
            assertThat(text).as("stream %s", stream).doesNotContain("app.use").doesNotContain("```")
                    .contains("This looks like Exercise 2.6");
            assertThat(body).contains("\"withheld\":true");
        }
    }

    @Test
    void hintsWithoutSolutionCodePassAsTheModelWroteThem() {
        openAi.chatReply(HINTS);
        given().contentType("application/json").body(Map.of("question", ASK)).post("/api/chat").then().statusCode(200)
                .body("mode", equalTo("llm")).body("answer", equalTo(HINTS))
                .body("exercise.title", equalTo(EXERCISE)).body("exercise.withheld", equalTo(false))
                .body("citations[0].url", equalTo(TEACHES_URL));
    }

    @Test
    void aModelThatFailsGivesTheTutorsExtractiveAnswerNotTheUsualOne() {
        openAi.failChat(FakeOpenAiServer.Failure.status(500));
        JsonPath answer = given().contentType("application/json").body(Map.of("question", ASK)).post("/api/chat")
                .then().statusCode(200).body("mode", equalTo("extractive")).body("exercise.withheld", equalTo(false))
                .extract().jsonPath();
        assertTutorsAnswer(answer.getString("answer"), answer.getList("citations.url"));
    }

    @Test
    void anOpenCourseAnswersTheRequestAsAnyQuestionAndStillCountsIt() throws InterruptedException {
        database.execute("INSERT INTO course_policy (source, exercises) VALUES ('course', 'open')");
        // A section the request's own words find, so that it is covered and the model asked as for any question.
        CourseFixture.insert(database, "course", BASE, "part2/b/", "Databases › Error handling", "Error handling", 1,
                TEACHES, ASK, "error-handling");
        Thread.sleep(REFRESH.toMillis() + 100); // no refresh by hand: the question finds the read too old and renews it
        openAi.chatReply(SOLUTION);
        given().contentType("application/json").body(Map.of("question", ASK)).post("/api/chat").then().statusCode(200)
                .body("exercise.policy", equalTo("open")).body("exercise.withheld", equalTo(false));
        var asked = openAi.received("/chat/completions");
        assertThat(asked.get(0).body().getJsonArray("messages").getJsonObject(0).getString("content"))
                .as("the usual rules").contains("Answer the student's question using ONLY");
    }

    @Test
    void aQuestionAboutTheCoursesOwnCodeOrAboutTheExerciseIsNoRequest() {
        openAi.chatReply("Add the express.json() middleware [1].");
        for (String question : List.of("How do I read a JSON body in Express?", "what does exercise 2.6 ask for?",
                "show me the code of the express.json() example")) {
            given().contentType("application/json").body(Map.of("question", question)).post("/api/chat").then()
                    .statusCode(200).body("exercise", nullValue());
        }
    }

    @Test
    void eachRequestIsLoggedWithItsExerciseAndCountedInTheReport() {
        openAi.chatReply(HINTS);
        for (String question : List.of(ASK, "solution for exercise 2.6?", "How do I read a JSON body in Express?")) {
            given().contentType("application/json").body(Map.of("question", question)).post("/api/chat").then()
                    .statusCode(200);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"3".equals(database.queryString("SELECT count(*) FROM question_log"))) {
            assertThat(System.nanoTime()).as("3 questions logged within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(database.queryString("SELECT string_agg(exercise_request || ':' || coalesce(exercise, '-'), ','"
                + " ORDER BY exercise_request, exercise) FROM question_log"))
                .isEqualTo("false:-,true:" + EXERCISE + ",true:" + EXERCISE);
        JsonPath report = given().auth().oauth2(TOKEN).accept("application/json").queryParam("since", "1d")
                .get("/admin/insights").then().statusCode(200).extract().jsonPath();
        assertThat(report.getList("exerciseRequests.exercise")).containsExactly(EXERCISE);
        assertThat(report.getLong("exerciseRequests[0].requests")).isEqualTo(2);
        assertThat(report.getString("exerciseRequests[0].url")).isEqualTo(EXERCISE_URL);
    }

    /** The text of /v1's streamed chunks, joined. */
    private static String streamedText(String events) {
        StringBuilder text = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"content\":\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(events);
        while (m.find()) {
            text.append(m.group(1));
        }
        return text.toString();
    }

    /** The tutor's answer: says what it is, quotes the exercise and what teaches it, and holds no solution code. */
    private static void assertTutorsAnswer(String text, List<String> urls) {
        assertThat(text).startsWith("This looks like " + EXERCISE + ", a graded exercise")
                .contains(STATEMENT).contains("23505").doesNotContain("app.use").doesNotContain("```");
        assertThat(urls).containsExactly(EXERCISE_URL, TEACHES_URL);
    }
}
