package org.coursebot.ingest.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.coursebot.testing.RawHttp;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true)
class ServiceEndpointsTests {

    TestDatabase database;

    @TestHTTPResource("/")
    URI base;

    @Test
    void readyOnceFlywayMigratedTheEmptyDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("schema"));
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
                .body("openapi", containsString("3.")).body("paths", org.hamcrest.Matchers.hasKey("/admin/ingest"));
        given().get("/q/openapi").then().statusCode(200).contentType(containsString("application/yaml"))
                .body(containsString("/admin/ingest:"));
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", containsString("Coursebot"));
    }

    /**
     * A request line of 100,000 characters or 100 KB of headers reaches the router, under the HTTP codec's ceilings
     * (quarkus.http.limits, 256 KB), and gets the problem naming the limit a client has to keep.
     */
    @Test
    void aHugeRequestLineOrHeaderGetsAProblemNamingTheLimit() throws Exception {
        RawHttp.Response line = RawHttp.send(base, "GET /admin/ingest?x=" + "x".repeat(100_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(line.status()).isEqualTo(414);
        assertThat(line.contentType()).isEqualTo("application/problem+json");
        JsonPath problem = JsonPath.from(line.body());
        assertThat(problem.getString("type")).isEqualTo("https://coursebot.dev/problems/uri-too-long");
        assertThat(problem.getString("title")).isEqualTo("URI Too Long");
        assertThat(problem.getInt("status")).isEqualTo(414);
        assertThat(problem.getString("detail")).isEqualTo("the request target is over 24576 characters");

        RawHttp.Response headers = RawHttp.send(base, "GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "y".repeat(100_000) + "\r\n\r\n");
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.contentType()).isEqualTo("application/problem+json");
        problem = JsonPath.from(headers.body());
        assertThat(problem.getString("type")).isEqualTo("https://coursebot.dev/problems/headers-too-large");
        assertThat(problem.getString("title")).isEqualTo("Request Header Fields Too Large");
        assertThat(problem.getInt("status")).isEqualTo(431);
        assertThat(problem.getString("detail")).isEqualTo("the request headers are over 16384 bytes");
    }
}
