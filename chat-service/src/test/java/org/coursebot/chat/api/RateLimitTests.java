package org.coursebot.chat.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTests.Tight.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class RateLimitTests {

    TestDatabase database;

    /** A burst of 2, then 1 a minute. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.rate-limit.burst", "2", "coursebot.rate-limit.requests-per-minute", "1",
                    "coursebot.answer.mode", "extractive");
        }
    }

    @Test
    void aClientOverItsBurstGets429WithRetryAfterWhileOthersGoOn() {
        for (int i = 0; i < 2; i++) {
            search("203.0.113.7").then().statusCode(200);
        }
        search("203.0.113.7").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("retryAfterSeconds", org.hamcrest.Matchers.greaterThan(0));
        // Another client behind the trusted proxy (127.0.0.1) has its own bucket.
        search("198.51.100.9").then().statusCode(200);
        // Operations endpoints are not limited.
        given().get("/q/health/live").then().statusCode(200);
        // The buckets were the database's, which every instance shares: the refusal is counted there.
        org.assertj.core.api.Assertions.assertThat(database.queryString("SELECT refused_requests FROM limit_day"))
                .isEqualTo("1");
        org.assertj.core.api.Assertions.assertThat(database.queryString("SELECT count(*) FROM rate_bucket")).isEqualTo("2");
    }

    private static io.restassured.response.Response search(String client) {
        return given().header("X-Forwarded-For", client).queryParam("q", "anything").get("/api/search");
    }
}
