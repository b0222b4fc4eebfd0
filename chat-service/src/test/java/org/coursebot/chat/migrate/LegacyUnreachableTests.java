package org.coursebot.chat.migrate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** An old database that does not answer is a 502 problem that names it, password masked. */
@QuarkusTest
@TestProfile(LegacyUnreachableTests.NowhereLegacy.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
class LegacyUnreachableTests {

    /** A legacy URL whose port nothing listens on. */
    public static class NowhereLegacy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.admin.token", "unreachable-test-token",
                    "coursebot.legacy.database-url", "postgresql://old:s3cret-pw@127.0.0.1:1/postgres?sslmode=disable");
        }
    }

    @Test
    void answers502WithoutThePasswordWhenTheOldDatabaseDoesNotAnswer() {
        given().header("Authorization", "Bearer unreachable-test-token").contentType("application/json")
                .body(List.of(Map.of("question", "What is Node?")))
                .post("/admin/migration/compare").then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("https://coursebot.dev/problems/legacy-unavailable"))
                .body(not(containsString("s3cret-pw")));
    }
}
