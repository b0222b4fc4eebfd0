package org.coursebot.chat.insights;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.coursebot.chat.api.CourseFixture;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The question log, feedback and the report over the real database: chat-service searches as its read-only role and
 * logs as the INSERT-only one (migration V5), against the fake OpenAI server's exact vectors.
 */
@QuarkusTest
@TestProfile(InsightsTests.Profile.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class InsightsTests {

    static final String TOKEN = "insights-admin-token";
    static final String COVERED = "How do I read a JSON body in Express?";

    TestDatabase database;
    FakeOpenAiServer openAi;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false",
                    "coursebot.admin.token", TOKEN, "coursebot.insights.flush-interval", "50ms");
        }
    }

    @BeforeEach
    void seed() {
        CourseFixture.seed(database);
        database.execute("TRUNCATE question_log, answer_feedback");
        openAi.reset();
    }

    @Test
    void anAnswerCarriesItsIdAndIsLoggedScrubbedWithADailyClientKeyNeverTheAddress() {
        String answerId = ask("How do I read a JSON body? Write to jane.doe@example.org or call +44 20 7946 0958");
        assertThat(answerId).matches("[0-9a-f-]{36}");
        awaitRows("question_log", 1);
        assertThat(database.queryString("SELECT question FROM question_log"))
                .isEqualTo("How do I read a JSON body? Write to [email] or call [phone]");
        assertThat(database.queryString("SELECT answer_id FROM question_log")).isEqualTo(answerId);
        String row = database.queryString("SELECT concat_ws('|', channel, client_key, space_id, embedding IS NOT NULL,"
                + " latency_ms >= 0, coverage ? 'reason', coverage->'signals' ? 'topSimilarity', mode) FROM question_log");
        String[] fields = row.split("\\|");
        assertThat(fields[0]).isEqualTo("api");
        assertThat(fields[1]).hasSize(22).doesNotContain("127").doesNotContain(".");
        assertThat(fields).containsSubsequence("1", "t", "t", "t", "t", "extractive");
    }

    @Test
    void aStreamedAnswerNamesItsIdInTheDoneEvent() {
        String sse = given().contentType("application/json").accept("text/event-stream")
                .body(Map.of("question", COVERED)).post("/api/chat").then().statusCode(200).extract().asString();
        String done = sse.lines().dropWhile(l -> !l.equals("event:done") && !l.equals("event: done")).skip(1)
                .filter(l -> l.startsWith("data:")).findFirst().orElseThrow().substring(5).trim();
        String answerId = JsonPath.from(done).getString("answerId");
        assertThat(answerId).matches("[0-9a-f-]{36}");
        awaitRows("question_log", 1);
        assertThat(database.queryString("SELECT answer_id FROM question_log")).isEqualTo(answerId);
    }

    @Test
    void feedbackOnAnAnswerIsRecordedTheLastWinsAndBadFeedbackIsAProblemNamingTheField() {
        String answerId = ask(COVERED);
        feedback(Map.of("answerId", answerId, "helpful", false, "comment", "Too short; my key is sk-abcdefghijklmnop"))
                .statusCode(202).body("answerId", equalTo(answerId)).body("helpful", equalTo(false));
        feedback(Map.of("answerId", answerId, "helpful", true)).statusCode(202);

        feedback(Map.of("answerId", "00000000-0000-4000-8000-000000000000", "helpful", true)).statusCode(404)
                .body("type", endsWith("/unknown-answer"));
        feedback(Map.of("answerId", "not-an-id", "helpful", true)).statusCode(400).body("fields", hasKey("answerId"));
        feedback(Map.of("answerId", answerId)).statusCode(400).body("fields", hasKey("helpful"));
        feedback(Map.of("answerId", answerId, "helpful", true, "comment", "x".repeat(501))).statusCode(400)
                .body("fields", hasKey("comment"));
        given().contentType("application/json").body("{\"answerId\": \"" + answerId + "\", \"helpful\": \"very\"}")
                .post("/api/feedback").then().statusCode(400).body("detail", containsString("helpful"));
        given().contentType("application/json").body("{").post("/api/feedback").then().statusCode(400);

        awaitRows("answer_feedback", 2);
        assertThat(database.queryString("SELECT comment FROM answer_feedback WHERE NOT helpful"))
                .isEqualTo("Too short; my key is [secret]");
        JsonPath report = report("1d");
        assertThat(report.getLong("feedback.answers")).isEqualTo(1);
        assertThat(report.getLong("feedback.helpful")).as("the last feedback counts").isEqualTo(1);
        assertThat(report.getLong("feedback.notHelpful")).isZero();
    }

    @Test
    void theLogRoleMayOnlyInsertIntoTheLogAndTheSearchRoleMayNotWriteIt() throws SQLException {
        try (Connection log = connect(database.insightsUrl()); Statement s = log.createStatement()) {
            for (String sql : List.of("SELECT count(*) FROM question_log", "SELECT count(*) FROM answer_feedback",
                    "DELETE FROM question_log", "UPDATE answer_feedback SET helpful = true",
                    "SELECT count(*) FROM course_chunk", "DELETE FROM course_chunk", "SELECT count(*) FROM embedding_space")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
        }
        try (Connection chat = connect(database.chatUrl()); Statement s = chat.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO answer_feedback VALUES (gen_random_uuid(),"
                    + " gen_random_uuid(), now(), true, null)")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void theReportCountsQuestionsGroupsTheSameUncoveredQuestionAndListsCitedAndNeverCitedSections() {
        for (int i = 0; i < 3; i++) {
            ask("How do I deploy my app to Kubernetes with Helm?");
        }
        ask("What is a monad in Haskell?");
        ask("What is a monad in Haskell?");
        ask(COVERED);
        String unhelpful = ask(COVERED);
        feedback(Map.of("answerId", unhelpful, "helpful", false)).statusCode(202);
        awaitRows("question_log", 7);
        awaitRows("answer_feedback", 1);

        JsonPath report = report("1d");
        assertThat(report.getLong("questions")).isEqualTo(7);
        assertThat(report.getLong("covered")).isEqualTo(2);
        assertThat(report.getDouble("coveredShare")).isEqualTo(0.286);
        assertThat(report.getLong("feedback.notHelpful")).isEqualTo(1);
        assertThat(report.getList("days")).isNotEmpty();
        assertThat(report.getLong("days[-1].questions") + (report.getList("days").size() > 1
                ? report.getLong("days[-2].questions") : 0)).isEqualTo(7);
        assertThat(report.getList("gaps.size", Integer.class)).containsExactly(3, 2, 1);
        assertThat(report.getList("gaps[0].examples", String.class))
                .containsExactly("How do I deploy my app to Kubernetes with Helm?");
        assertThat(report.getInt("gaps[0].uncovered")).isEqualTo(3);
        assertThat(report.getInt("gaps[2].notHelpful")).isEqualTo(1);
        assertThat(report.getList("gaps[2].closestSections.url", String.class))
                .startsWith("https://course.example.org/part3/b/#receiving-data");
        assertThat(report.getLong("ungrouped")).isZero();
        assertThat(report.getString("mostCited[0].url")).isEqualTo("https://course.example.org/part3/b/#receiving-data");
        assertThat(report.getLong("mostCited[0].citations")).isEqualTo(2);
        assertThat(report.getList("neverCited.url", String.class)).containsExactlyInAnyOrder(
                "https://course.example.org/part3/a/", "https://course.example.org/part1/a/#notes");
        assertThat(report.getLong("neverCitedCount")).isEqualTo(2);
        assertThat(report.getBoolean("enabled")).isTrue();
        assertThat(report.getLong("latencyMs.p95")).isGreaterThanOrEqualTo(report.getLong("latencyMs.p50"));
    }

    @Test
    void aFollowUpIsLoggedWithWhatWasSearchedWithoutTheEarlierTurnsPersonalDataAndTheGapsShowItAsThat() {
        String earlier = "How do I deploy my app to Kubernetes with Helm?";
        ask(earlier);
        given().contentType("application/json").body(Map.of("question", "and how do I roll it back?", "history",
                        List.of(Map.of("role", "user", "content", earlier + " Mail me at jane.doe@example.org."),
                                Map.of("role", "assistant", "content", "The course does not cover this."))))
                .post("/api/chat").then().statusCode(200).body("followUp", equalTo(true));
        awaitRows("question_log", 2);
        assertThat(database.queryString("SELECT string_agg(concat_ws('|', question, follow_up, searched_for), ' / '"
                + " ORDER BY follow_up) FROM question_log")).isEqualTo(earlier + "|f / and how do I roll it back?|t|"
                + earlier + "\nand how do I roll it back?");
        assertThat(report("1d").getList("gaps.examples.flatten()", String.class))
                .containsExactlyInAnyOrder(earlier, earlier + "\nand how do I roll it back?");
    }

    @Test
    void aReportOfOneCourseCountsTheQuestionsAskedOfItAndListsItsSectionsOnly() {
        CourseFixture.insert(database, "other", "https://other.example.org/", "intro/", "Other › Intro", "Other intro", 0,
                "An unrelated course about gardening and compost.", "vector text of the other course", "intro");
        given().contentType("application/json").body(Map.of("question", COVERED, "source", "course")).post("/api/chat")
                .then().statusCode(200);
        given().contentType("application/json").body(Map.of("question", "How do I compost leaves?", "source", "other"))
                .post("/api/chat").then().statusCode(200);
        ask(COVERED);
        awaitRows("question_log", 3);

        JsonPath course = given().auth().oauth2(TOKEN).accept("application/json").queryParam("since", "1d")
                .queryParam("source", "course").get("/admin/insights").then().statusCode(200).extract().jsonPath();
        assertThat(course.getLong("questions")).as("asked of the course, not of every course").isEqualTo(1);
        assertThat(course.getString("source")).isEqualTo("course");
        assertThat(course.getList("neverCited.url", String.class)).allMatch(u -> u.startsWith("https://course.example.org/"));
        JsonPath other = given().auth().oauth2(TOKEN).accept("application/json").queryParam("since", "1d")
                .queryParam("source", "other").get("/admin/insights").then().statusCode(200).extract().jsonPath();
        assertThat(other.getLong("questions")).isEqualTo(1);
        assertThat(other.getList("neverCited.url", String.class)).containsExactly("https://other.example.org/intro/#intro");
        assertThat(report("1d").getLong("questions")).as("every course").isEqualTo(3);
        given().auth().oauth2(TOKEN).accept("application/json").queryParam("source", "nope").get("/admin/insights")
                .then().statusCode(400).body("fields", hasKey("source"));
    }

    @Test
    void aV1CompletionIsLoggedAsSuchWithItsId() {
        String answerId = given().contentType("application/json")
                .body(Map.of("model", "coursebot", "messages", List.of(Map.of("role", "user", "content", COVERED))))
                .post("/v1/chat/completions").then().statusCode(200).extract().path("coursebot.answerId");
        awaitRows("question_log", 1);
        assertThat(database.queryString("SELECT channel || ' ' || answer_id FROM question_log")).isEqualTo("v1 " + answerId);
    }

    @Test
    void theStaffPageNeedsNoTokenButTheReportDoesAndAMalformedPeriodIsAProblem() {
        given().accept("text/html,application/xhtml+xml,*/*;q=0.8").get("/admin/insights").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("admin-insights.js"));
        given().accept("application/json").get("/admin/insights").then().statusCode(401);
        given().get("/admin/insights").then().statusCode(401);
        for (String since : List.of("400d", "7w", "0d", "-1d", "d")) {
            given().auth().oauth2(TOKEN).queryParam("since", since).get("/admin/insights").then().statusCode(400)
                    .body("fields", hasKey("since"));
        }
        given().auth().oauth2(TOKEN).accept("application/json").get("/admin/insights").then().statusCode(200)
                .body("since", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"));
    }

    private static String ask(String question) {
        return given().contentType("application/json").body(Map.of("question", question)).post("/api/chat").then()
                .statusCode(200).extract().path("answerId");
    }

    private static io.restassured.response.ValidatableResponse feedback(Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/feedback").then();
    }

    static JsonPath report(String since) {
        return given().auth().oauth2(TOKEN).accept("application/json").queryParam("since", since).get("/admin/insights")
                .then().statusCode(200).extract().jsonPath();
    }

    private void awaitRows(String table, int rows) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Integer.parseInt(database.queryString("SELECT count(*) FROM " + table)) < rows) {
            assertThat(System.nanoTime()).as("%d rows in %s within 10 s", rows, table).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(database.queryString("SELECT count(*) FROM " + table)).isEqualTo(String.valueOf(rows));
    }

    private static Connection connect(String url) throws SQLException {
        DatabaseUrl parsed = DatabaseUrl.parse("url", url);
        return new org.postgresql.Driver().connect(parsed.jdbcUrl(), credentials(parsed));
    }

    private static java.util.Properties credentials(DatabaseUrl url) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", url.user());
        p.setProperty("password", url.password());
        return p;
    }
}
