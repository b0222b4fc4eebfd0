package org.coursebot.chat.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
class ServiceEndpointsTests {

    TestDatabase database;

    @Test
    void readyAsTheReadOnlyRoleOnAMigratedDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("schema"));
    }

    @Test
    void readinessSaysTheSearchDatabaseIsNoStandby() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'replication' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'replication' }.data.standby", equalTo(false))
                .body("checks.find { it.name == 'replication' }.data", not(hasKey("lag")));
    }

    @Test
    void readinessGoesDownWhenTheSchemaIsNotTheExpectedVersion() {
        database.execute("COMMENT ON TABLE course_chunk IS 'coursebot-schema:999'");
        try {
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            database.execute("COMMENT ON TABLE course_chunk IS 'coursebot-schema:" + org.coursebot.model.SchemaVersion.CURRENT + "'");
        }
    }

    @Test
    void liveMetricsAndOpenApiAreServed() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200).contentType(containsString("application/json"))
                .body("openapi", containsString("3.")).body("paths", org.hamcrest.Matchers.hasKey("/api/chat"));
        given().get("/q/openapi").then().statusCode(200).contentType(containsString("application/yaml"))
                .body(containsString("/api/chat:"));
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", containsString("Coursebot"));
    }
}
