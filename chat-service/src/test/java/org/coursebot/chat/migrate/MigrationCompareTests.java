package org.coursebot.chat.migrate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import org.coursebot.model.DatabaseUrl;
import org.junit.jupiter.api.Test;

/** The old-vs-new comparison over the demo course: the old pipeline simulated, Coursebot as ingested. */
@QuarkusTest
@QuarkusTestResource(value = LegacyMigrationFixture.class, restrictToAnnotatedClass = true)
class MigrationCompareTests {

    private static final String BEARER = "Bearer " + LegacyMigrationFixture.ADMIN_TOKEN;

    LegacyMigrationFixture fixture;

    @Inject
    Vertx vertx;

    @Test
    void findsTheOldInventedFragmentsAndLeavesTheOldDatabaseUntouched() throws Exception {
        String before = fixture.legacyChecksum();
        List<Map<String, Object>> questions = fixture.questions();

        JsonPath report = given().header("Authorization", BEARER).contentType("application/json")
                .body(Map.of("questions", questions, "k", 5))
                .post("/admin/migration/compare").then().statusCode(200).contentType("application/json")
                .body("questions", hasSize(questions.size()))
                .body("totals.questions", equalTo(questions.size()))
                .extract().jsonPath();

        assertThat(report.getDouble("totals.old.citationValidity")).isLessThan(1.0);
        assertThat(report.getDouble("totals.new.citationValidity")).isEqualTo(1.0);
        assertThat(report.getInt("totals.new.citedUrls")).isPositive();
        assertThat(report.getList("questions[0].old")).hasSize(5);
        assertThat(report.getList("questions[0].new")).isNotEmpty();
        assertThat(report.getString("questions[0].old[0].url")).startsWith(fixture.baseUrl);
        // The expected sections are on the served site, so both systems find some of them.
        assertThat(report.getDouble("totals.old.hit5")).isGreaterThan(0.0);
        assertThat(report.getDouble("totals.new.hit5")).isGreaterThan(0.0);
        assertThat(report.getDouble("totals.jaccardAtK")).isBetween(0.0, 1.0);
        assertThat(fixture.legacyChecksum()).isEqualTo(before);
    }

    @Test
    void printsAReadableReportForTheOperator() throws Exception {
        String text = given().header("Authorization", BEARER).header("Accept", "text/plain")
                .contentType("application/json").body(fixture.questions())
                .post("/admin/migration/compare").then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString("citation validity")).body(containsString("hit@5"))
                .body(containsString("Where they disagree most"))
                .body(not(containsString("coursebot:coursebot")))
                .extract().asString();
        System.out.println("=== comparison on the demo course (old pipeline simulated vs Coursebot) ===\n" + text);
    }

    @Test
    void answers401WithoutTheAdminToken() {
        given().contentType("application/json").body(List.of(Map.of("question", "What is Node?")))
                .post("/admin/migration/compare").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").contentType("application/json")
                .body(List.of(Map.of("question", "What is Node?")))
                .post("/admin/migration/compare").then().statusCode(401);
    }

    @Test
    void rejectsAnEmptyOrOversizedQuestionSetWithAProblem() {
        given().header("Authorization", BEARER).contentType("application/json").body(List.of())
                .post("/admin/migration/compare").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://coursebot.dev/problems/invalid-request"));
        given().header("Authorization", BEARER).contentType("application/json")
                .body(Collections.nCopies(1001, Map.of("question", "What is Node?")))
                .post("/admin/migration/compare").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("1000"));
        given().header("Authorization", BEARER).contentType("application/json")
                .body(Map.of("questions", List.of(Map.of("question", " ")), "k", 5))
                .post("/admin/migration/compare").then().statusCode(400);
        given().header("Authorization", BEARER).contentType("application/json")
                .body(Map.of("questions", List.of(Map.of("question", "What is Node?")), "k", 0))
                .post("/admin/migration/compare").then().statusCode(400);
    }

    @Test
    void legacyConnectionsRefuseWrites() {
        String url = fixture.legacy.url() + "?sslmode=disable";
        var pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
                .connectingTo(LegacyRepository.connectOptions(DatabaseUrl.parse("test", url))).using(vertx).build();
        try {
            assertThatThrownBy(() -> pool.query("DELETE FROM course_content").execute().await().atMost(Duration.ofSeconds(10)))
                    .hasMessageContaining("read-only");
        } finally {
            pool.closeAndAwait();
        }
    }
}
