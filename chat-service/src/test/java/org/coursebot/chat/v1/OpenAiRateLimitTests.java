package org.coursebot.chat.v1;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * /v1's rate limit is /api's limiter, counted per API key with the key's own limits (coursebot.api.rate): one key over
 * its burst does not hold back another, and /api keeps its own per-address limits.
 */
@QuarkusTest
@TestProfile(OpenAiRateLimitTests.TightPerKey.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class OpenAiRateLimitTests {

    @TestHTTPResource("/v1")
    URI v1;

    /** Per key a burst of 2, then 1 a minute; two keys. /api keeps its defaults (a burst of 5). */
    public static class TightPerKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.api.rate.burst", "2", "coursebot.api.rate.requests-per-minute", "1",
                    "coursebot.answer.mode", "extractive",
                    "coursebot.api.keys", "webui:sk-test-webui-key,discord:sk-test-discord-key");
        }
    }

    private OpenAIClient client(String key) {
        // No retries: the SDK would otherwise wait for Retry-After and try again.
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(key).maxRetries(0).build();
    }

    @Test
    void aKeyOverItsBurstGetsRateLimitExceptionWhileOtherKeysAndApiGoOn() {
        OpenAIClient webui = client("sk-test-webui-key");
        webui.models().list();
        webui.models().list();
        RateLimitException limited = catchThrowableOfType(RateLimitException.class, () -> webui.models().list());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.code()).contains("rate_limit_exceeded");
        assertThat(limited.type()).contains("requests");
        assertThat(limited.headers().values("Retry-After")).singleElement()
                .satisfies(seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(limited.getMessage()).contains("at most 1 requests a minute");

        // Same address, another key: its own bucket. /api counts the address, apart from the keys.
        assertThat(client("sk-test-discord-key").models().list().data()).isNotEmpty();
        for (int i = 0; i < 3; i++) { // over a key's burst of 2, within /api's own 5
            given().queryParam("q", "anything").get("/api/search").then().statusCode(200);
        }
    }
}
