package org.coursebot.chat.v1;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.Map;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.models.Model;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/** Without coursebot.api.keys, /v1 is open like /api: any key, or none, is let in. */
@QuarkusTest
@TestProfile(OpenAiOpenAccessTests.NoKeys.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class OpenAiOpenAccessTests {

    @TestHTTPResource("/v1")
    URI v1;

    public static class NoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false");
        }
    }

    @Test
    void anyKeyOrNoneIsLetIn() {
        var client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("anything").maxRetries(0).build();
        assertThat(client.models().list().data()).extracting(Model::id).startsWith("coursebot");
        given().get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
                .body("data[0].id", equalTo("coursebot")).body("data[0].owned_by", equalTo("coursebot"));
    }
}
