package org.coursebot.chat.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import org.coursebot.chat.api.CourseFixture;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /v1 with answers written by the chat model (the fake server), streamed as it writes them. */
@QuarkusTest
@TestProfile(OpenAiLlmTests.Llm.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class OpenAiLlmTests {

    static final String QUESTION = "How do I read a JSON body in Express?";

    TestDatabase database;
    FakeOpenAiServer openAi;

    @TestHTTPResource("/v1")
    URI v1;

    /** LLM answers, a short model timeout, no rate limit, /v1 open. */
    public static class Llm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "llm", "coursebot.rate-limit.enabled", "false",
                    "coursebot.answer.llm-timeout", "2s", "coursebot.answer.llm-retries", "0");
        }
    }

    @BeforeEach
    void seed() {
        CourseFixture.seed(database);
        openAi.reset();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("unused").maxRetries(0).build();
    }

    @Test
    void streamsTheModelsWordsThenTheSourcesAndPassesTheConversationAndTemperatureButNotTheSystemMessage() {
        openAi.chatReply("Use express.json() [1] before your routes.");
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("coursebot")
                        .addSystemMessage("Always answer in pirate speak.")
                        .addUserMessage("What is Express?").addAssistantMessage("A web framework for Node.")
                        .addUserMessage(QUESTION).temperature(0.7).build())) {
            stream.stream().flatMap(c -> c.choices().stream()).forEach(c -> c.delta().content().ifPresent(text::append));
        }
        assertThat(text.toString()).isEqualTo("Use express.json() [1] before your routes.\n\nSources:\n"
                + "1. [Receiving data](https://course.example.org/part3/b/#receiving-data)");
        assertThat(openAi.received("/chat/completions").get(0).body().getDouble("temperature")).isEqualTo(0.7);
        JsonArray messages = openAi.received("/chat/completions").get(0).body().getJsonArray("messages");
        List<String> sent = new ArrayList<>();
        messages.forEach(m -> sent.add(((io.vertx.core.json.JsonObject) m).getString("role") + ": "
                + ((io.vertx.core.json.JsonObject) m).getString("content")));
        assertThat(sent.get(1)).isEqualTo("user: What is Express?");
        assertThat(sent.get(2)).isEqualTo("assistant: A web framework for Node.");
        assertThat(String.join("\n", sent)).doesNotContain("pirate");
    }

    @Test
    void aModelThatStallsMidAnswerEndsTheStreamWithAnErrorTheSdkRaises() {
        openAi.failChat(FakeOpenAiServer.Failure.hangAfter(3));
        StringBuilder text = new StringBuilder();
        Throwable failure = catchThrowable(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model("coursebot").addUserMessage(QUESTION).build())) {
                stream.stream().flatMap(c -> c.choices().stream()).forEach(c -> c.delta().content().ifPresent(text::append));
            }
        });
        assertThat(text).as("what the model wrote before it stalled").isNotEmpty();
        assertThat(failure).isInstanceOf(SseException.class);
        assertThat(((SseException) failure).type()).contains("server_error");
    }
}
