package org.coursebot.chat.compare;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.coursebot.chat.space.SpaceFixture;
import org.coursebot.model.StoredSpace;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /admin/migration/compare} with {@code "spaces"}: two spaces of this database on one question set.
 * Space 1 places each question's vector on its expected page; the candidate only the first one, the other two
 * swapped, so its figures are known in advance. No legacy database is configured: this mode needs none.
 */
@QuarkusTest
@TestProfile(SpaceComparisonTests.Admin.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class SpaceComparisonTests {

    private static final String TOKEN = "space-compare-token";
    private static final List<String> QUESTIONS = List.of("How do I read a JSON body?", "Which port is in use?",
            "What does git rebase do?");
    private static final List<String> PAGES = List.of("json/", "ports/", "git/");

    /** An admin token, no legacy database. */
    public static class Admin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.admin.token", TOKEN, "coursebot.rate-limit.enabled", "false");
        }
    }

    TestDatabase database;

    /** Built once for the class (the tests only read). */
    private static StoredSpace candidate;

    @BeforeEach
    void seed() {
        if (candidate != null) {
            return;
        }
        SpaceFixture spaces = new SpaceFixture(database).empty();
        // No word of a question in the texts: only the vectors decide.
        List<UUID> ids = List.of(
                spaces.chunk(PAGES.get(0), "Middleware", "Payloads are parsed by middleware.", vector(0)),
                spaces.chunk(PAGES.get(1), "Listening", "Another process listens there already.", vector(1)),
                spaces.chunk(PAGES.get(2), "History", "Commits replayed onto another base.", vector(2)));
        candidate = spaces.create("openai", "text-embedding-3-large", 1536);
        Map<UUID, float[]> swapped = new HashMap<>();
        swapped.put(ids.get(0), vector(0));
        swapped.put(ids.get(1), vector(2));
        swapped.put(ids.get(2), vector(1));
        spaces.fill(candidate, swapped);
        spaces.publish();
    }

    @Test
    void reportsBothSpacesFiguresOnTheQuestionSet() {
        JsonPath report = admin().body(Map.of("questions", questions(), "k", 3,
                        "spaces", Map.of("baseline", 1, "candidate", candidate.id())))
                .post("/admin/migration/compare").then().statusCode(200).contentType("application/json")
                .body("questions", hasSize(3))
                .body("totals.questions", equalTo(3)).body("totals.withExpectedUrl", equalTo(3))
                .body("totals.k", equalTo(3))
                .body("totals.baseline.space.id", equalTo(1))
                .body("totals.baseline.space.model", equalTo("text-embedding-3-small"))
                .body("totals.candidate.space.id", equalTo(candidate.id()))
                .body("totals.candidate.space.model", equalTo("text-embedding-3-large"))
                .extract().jsonPath();

        assertThat(report.getDouble("totals.baseline.hit1")).isEqualTo(1.0);
        assertThat(report.getDouble("totals.baseline.hit5")).isEqualTo(1.0);
        assertThat(report.getDouble("totals.baseline.mrr")).isEqualTo(1.0);
        assertThat(report.getDouble("totals.candidate.hit1")).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(report.getDouble("totals.candidate.mrr")).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(report.getDouble("totals.baseline.threshold")).isEqualTo(0.3);
        assertThat(report.getInt("totals.candidate.degraded")).isZero();
        // Each question: the baseline cites its page, the candidate the first one only; the other two differ.
        assertThat(report.getDouble("totals.jaccardAtK")).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(report.getString("questions[1].baseline[0].url")).isEqualTo(SpaceFixture.BASE + PAGES.get(1));
        assertThat(report.getString("questions[1].candidate[0].url")).isEqualTo(SpaceFixture.BASE + PAGES.get(2));
    }

    @Test
    void printsTheTwoSpacesSideBySideForTheOperator() {
        admin().header("Accept", "text/plain").body(Map.of("questions", questions(),
                        "spaces", Map.of("baseline", 1, "candidate", candidate.id())))
                .post("/admin/migration/compare").then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString("Space 1 vs space " + candidate.id())).body(containsString("MRR"));
    }

    @Test
    void aSpaceThatIsUnknownRetiredOrEmptyIsAProblemNamingItsField() {
        compare(Map.of("baseline", 1, "candidate", 999)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("fields.'spaces.candidate'", equalTo("no embedding space 999"));
        compare(Map.of("baseline", "one", "candidate", candidate.id())).then().statusCode(400)
                .body("fields.'spaces.baseline'", equalTo("must be the id of an embedding space"));
        SpaceFixture spaces = new SpaceFixture(database);
        StoredSpace empty = spaces.create("openai", "text-embedding-ada-002", 1536);
        compare(Map.of("baseline", empty.id(), "candidate", candidate.id())).then().statusCode(400)
                .body("fields.'spaces.baseline'", containsString("has no vectors"));
        spaces.retire(empty.id());
        compare(Map.of("baseline", 1, "candidate", empty.id())).then().statusCode(400)
                .body("fields.'spaces.candidate'", containsString("retired"));
    }

    private static io.restassured.response.Response compare(Map<String, Object> pair) {
        return admin().body(Map.of("questions", List.of(Map.of("question", QUESTIONS.get(0))), "spaces", pair))
                .post("/admin/migration/compare");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("application/json");
    }

    private static List<Map<String, String>> questions() {
        return List.of(0, 1, 2).stream().map(i -> Map.of("question", QUESTIONS.get(i),
                "expectedUrl", SpaceFixture.BASE + PAGES.get(i))).toList();
    }

    private static float[] vector(int question) {
        return FakeOpenAiServer.vectorFor(QUESTIONS.get(question), 1536);
    }
}
