package org.coursebot.ingest.exercises;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The demo course ingested, its exercise sections listed by the admin API, and each course's exercises policy in
 * {@code course_policy}. In order: the policy tests run before the ingest, the list after it.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DemoCourseResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExercisesAdminTests {

    private static final String BASE = DemoCourseResource.BASE;

    TestDatabase database;

    @Inject
    CoursePolicies policies;

    @Test
    @Order(1)
    void startUpWritesEachConfiguredCoursesPolicy() throws InterruptedException {
        assertThat(awaitPolicies("demo guide, labs open")).isEqualTo("demo guide, labs open");
    }

    @Test
    @Order(2)
    void aChangedPolicyIsWrittenOverAndTheSameOneLeavesItsTime() {
        database.execute("UPDATE course_policy SET exercises = 'open', updated_at = now() - interval '1 day' WHERE source = 'demo'");
        String labsSince = database.queryString("SELECT updated_at::text FROM course_policy WHERE source = 'labs'");

        policies.writeAll().await().atMost(Duration.ofSeconds(10));

        assertThat(policies()).isEqualTo("demo guide, labs open");
        assertThat(database.queryString("SELECT (now() - updated_at < interval '1 minute')::text FROM course_policy WHERE source = 'demo'"))
                .as("changed: its time is the write's").isEqualTo("true");
        assertThat(database.queryString("SELECT updated_at::text FROM course_policy WHERE source = 'labs'"))
                .as("unchanged: since when it has been open").isEqualTo(labsSince);
    }

    @Test
    @Order(3)
    void aFailedWriteIsLoggedNotThrownAndTheNextRunWritesThePolicy() throws InterruptedException {
        database.execute("ALTER TABLE course_policy RENAME TO course_policy_away");
        try {
            policies.writeAll().await().atMost(Duration.ofSeconds(10)); // completes: the failure is only logged
        } finally {
            database.execute("ALTER TABLE course_policy_away RENAME TO course_policy");
        }
        database.execute("UPDATE course_policy SET exercises = 'open' WHERE source = 'demo'");

        JsonPath run = ingest("demo");

        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(policies()).as("the run's start wrote the configured policy again").isEqualTo("demo guide, labs open");
    }

    @Test
    @Order(4)
    void listsTheDemoCoursesExerciseSectionsInPageAndPositionOrder() {
        JsonPath list = given().auth().oauth2(DemoCourseResource.TOKEN).get("/admin/sources/demo/exercises")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        assertThat(list.getString("source")).isEqualTo("demo");
        assertThat(list.getString("exercises")).isEqualTo("guide");
        assertThat(list.getInt("count")).isEqualTo(15);
        assertThat(list.getList("items.title", String.class)).containsExactly("Exercises",
                "Exercise 1.1: hello server", "Exercise 1.2: phonebook as JSON", "Exercise 1.3: phonebook with Express",
                "Exercise 1.4: one person", "Exercise 1.5: info page", "Exercise 2.1: adding people",
                "Exercise 2.2: validation", "Exercise 2.3: deleting", "Exercise 2.4: phonebook table",
                "Exercise 2.5: persons from the database", "Exercise 2.6: constraint errors",
                "Exercise 3.1: first unit tests", "Exercise 3.2: API tests", "Exercise 3.3: bad input");
        // The citation rule's urls: the heading's box has an id (exercise-1-1), or none and the page's url.
        assertThat(list.getString("items[1].url")).isEqualTo(BASE + "part1/a/#exercise-1-1");
        assertThat(list.getString("items[1].pageUrl")).isEqualTo(BASE + "part1/a/");
        assertThat(list.getString("items[1].headingPath"))
                .isEqualTo("Node.js and HTTP basics › Exercises › Exercise 1.1: hello server");
        assertThat(list.getList("items.url", String.class).subList(3, 6)).containsOnly(BASE + "part1/c/");
        assertThat(list.getList("items.url", String.class).subList(12, 15)).containsOnly(BASE + "part3/a/");
        assertThat(list.getString("items[0].url")).isEqualTo(BASE + "part1/a/#exercises");
    }

    @Test
    @Order(5)
    void aSectionOfSeveralChunksIsOneItem() {
        database.execute("""
                INSERT INTO course_chunk (id, title, content, url, content_type, importance, source, page_url, position,
                                          heading_path, content_hash)
                SELECT gen_random_uuid(), title, 'more of the statement', url, content_type, importance, source, page_url,
                       position + 1000, heading_path, 'second-chunk'
                  FROM course_chunk WHERE source = 'demo' AND title = 'Exercise 2.6: constraint errors'""");
        try {
            given().auth().oauth2(DemoCourseResource.TOKEN).get("/admin/sources/demo/exercises")
                    .then().statusCode(200).body("count", equalTo(15));
        } finally {
            database.execute("DELETE FROM course_chunk WHERE content_hash = 'second-chunk'");
        }
    }

    @Test
    @Order(6)
    void aConfiguredCourseNotIngestedYetHasNoExercisesAndItsPolicy() {
        given().auth().oauth2(DemoCourseResource.TOKEN).get("/admin/sources/labs/exercises").then().statusCode(200)
                .body("source", equalTo("labs")).body("exercises", equalTo("open"))
                .body("count", equalTo(0)).body("items.size()", equalTo(0));
    }

    @Test
    @Order(7)
    void anUnknownCourseIsAProblemNamingIt() {
        given().auth().oauth2(DemoCourseResource.TOKEN).get("/admin/sources/nosuch/exercises").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://coursebot.dev/problems/unknown-source"))
                .body("source", equalTo("nosuch"))
                .body("detail", org.hamcrest.Matchers.startsWith("no source named 'nosuch'"));
    }

    @Test
    @Order(8)
    void theListNeedsTheAdminToken() {
        given().get("/admin/sources/demo/exercises").then().statusCode(401);
    }

    private String policies() {
        return database.queryString("SELECT string_agg(source || ' ' || exercises, ', ' ORDER BY source) FROM course_policy");
    }

    private String awaitPolicies(String expected) throws InterruptedException {
        String rows = policies();
        for (int attempt = 0; attempt < 50 && !expected.equals(rows); attempt++) {
            Thread.sleep(100); // written in the background once the service has started
            rows = policies();
        }
        return rows;
    }

    private static JsonPath ingest(String source) throws InterruptedException {
        long id = given().auth().oauth2(DemoCourseResource.TOKEN).contentType("application/json")
                .body("{\"source\":\"" + source + "\"}").post("/admin/ingest")
                .then().statusCode(202).extract().jsonPath().getLong("runId");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonPath run = given().auth().oauth2(DemoCourseResource.TOKEN).get("/admin/ingest/runs/" + id)
                    .then().statusCode(200).extract().jsonPath();
            if (!"running".equals(run.getString("status"))) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " did not finish in 120 s");
    }
}
