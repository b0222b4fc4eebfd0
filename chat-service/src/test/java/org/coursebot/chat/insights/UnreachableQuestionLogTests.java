package org.coursebot.chat.insights;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.chat.api.CourseFixture;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * The question log's database is gone (nothing listens where INSIGHTS_DATABASE_URL points): the service is still
 * ready and answers, and every question it could not log is counted as dropped. The {@code insights} datasource is
 * left out of the readiness check on purpose: answers never need it.
 */
@QuarkusTest
@TestProfile(UnreachableQuestionLogTests.Profile.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class UnreachableQuestionLogTests {

    TestDatabase database;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false",
                    "coursebot.insights.batch-size", "1", "coursebot.insights.flush-interval", "50ms",
                    "quarkus.datasource.insights.reactive.url", "postgresql://127.0.0.1:" + closedPort() + "/coursebot",
                    "quarkus.datasource.insights.username", "coursebot_insights",
                    "quarkus.datasource.insights.password", "unused");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theServiceIsReadyAndAnswersAndWhatItCouldNotLogIsCounted() throws Exception {
        CourseFixture.seed(database);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        int asked = 5;
        for (int i = 0; i < asked; i++) {
            given().contentType("application/json").body(Map.of("question", "How do I read a JSON body in Express?"))
                    .post("/api/chat").then().statusCode(200);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (metric("coursebot_insights_dropped_total{reason=\"write-failed\"") < asked) {
            assertThat(System.nanoTime()).as("every question counted as not written").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(metric("coursebot_insights_written_total{kind=\"question\"")).isZero();
        assertThat(database.queryString("SELECT count(*) FROM question_log")).isEqualTo("0");
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    private static double metric(String prefix) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
