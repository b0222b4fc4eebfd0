package org.coursebot.chat.insights;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
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
 * A log database that stalls (a session holds an exclusive lock on question_log, as a long migration or a VACUUM FULL
 * would): answers go on, what cannot be logged is dropped and counted, nothing is half-written, and the log resumes
 * when the lock goes. A small queue (35 KB: about a dozen questions with their 1536-dimension vectors) and a short write timeout
 * make every outcome happen within the test.
 */
@QuarkusTest
@TestProfile(StalledQuestionLogTests.Profile.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class StalledQuestionLogTests {

    static final Duration STALL = Duration.ofSeconds(5);

    TestDatabase database;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false",
                    "coursebot.insights.queue-memory", "35K", "coursebot.insights.batch-size", "2",
                    "coursebot.insights.flush-interval", "50ms", "coursebot.insights.write-timeout", "1s");
        }
    }

    @Test
    void answersDoNotWaitForAStalledLogWhatIsDroppedIsCountedAndTheLogResumes() throws Exception {
        CourseFixture.seed(database);
        // Warm: the first answer of a fresh application is slow for reasons of its own (class loading, JIT).
        given().contentType("application/json").body(Map.of("question", "How do I read a JSON body in Express?"))
                .post("/api/chat").then().statusCode(200);
        awaitQueued(0);
        database.execute("TRUNCATE question_log");
        double before = metric("coursebot_insights_written_total{kind=\"question\"");
        int asked = 0;
        try (Connection lock = database.connect(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE question_log IN ACCESS EXCLUSIVE MODE");
            long stallEnds = System.nanoTime() + STALL.toNanos();
            while (System.nanoTime() < stallEnds - Duration.ofMillis(500).toNanos()) {
                long started = System.nanoTime();
                given().contentType("application/json").body(Map.of("question", "How do I read a JSON body in Express?"))
                        .post("/api/chat").then().statusCode(200);
                asked++;
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("an answer while the log is stalled")
                        .isLessThan(STALL.dividedBy(2));
            }
            lock.rollback();
        }
        assertThat(asked).isGreaterThan(10);
        // Settled: nothing queued, every answer either written or counted as dropped, never both.
        awaitQueued(0);
        double written = metric("coursebot_insights_written_total{kind=\"question\"") - before;
        double full = metric("coursebot_insights_dropped_total{reason=\"queue-full\"");
        double failed = metric("coursebot_insights_dropped_total{reason=\"write-failed\"");
        System.out.printf("stalled log: %d answers, %.0f written, %.0f dropped (queue full), %.0f dropped (write failed)%n",
                asked, written, full, failed);
        assertThat(full).as("the queue overflowed").isPositive();
        assertThat(failed).as("writes timed out").isPositive();
        assertThat(written + full + failed).as("every answer written or counted").isEqualTo(asked);
        assertThat(Double.parseDouble(database.queryString("SELECT count(*) FROM question_log"))).isEqualTo(written);

        given().contentType("application/json").body(Map.of("question", "How do I read a JSON body in Express?"))
                .post("/api/chat").then().statusCode(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Double.parseDouble(database.queryString("SELECT count(*) FROM question_log")) < written + 1) {
            assertThat(System.nanoTime()).as("the log resumes").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitQueued(int queued) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (metric("coursebot_insights_queued") != queued || metric("coursebot_insights_written_total{kind=\"question\"")
                + metric("coursebot_insights_dropped_total{reason=\"queue-full\"")
                + metric("coursebot_insights_dropped_total{reason=\"write-failed\"") == 0) {
            assertThat(System.nanoTime()).as("the log settles").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(Duration.ofSeconds(2).toMillis()); // a batch in flight when the lock went is counted by now
    }

    private static double metric(String prefix) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
