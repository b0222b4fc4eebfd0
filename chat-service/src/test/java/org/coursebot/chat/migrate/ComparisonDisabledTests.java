package org.coursebot.chat.migrate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** Without LEGACY_DATABASE_URL the comparison does not exist, even for the admin. */
@QuarkusTest
@TestProfile(ComparisonDisabledTests.AdminOnly.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
class ComparisonDisabledTests {

    /** An admin token, no legacy database. */
    public static class AdminOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.admin.token", "disabled-test-token");
        }
    }

    @Test
    void answers404WhenTheLegacyDatabaseIsNotConfigured() {
        given().header("Authorization", "Bearer disabled-test-token").contentType("application/json")
                .body(List.of(Map.of("question", "What is Node?")))
                .post("/admin/migration/compare").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("LEGACY_DATABASE_URL"));
    }
}
