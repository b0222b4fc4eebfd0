package org.coursebot.chat.v1;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.coursebot.testing.FakeOpenAiServer.tokens;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.chat.api.CourseFixture;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /v1 driven by OpenAI's own Java SDK, as a chat front-end would drive it: extractive answers over two courses,
 * API keys required.
 */
@QuarkusTest
@TestProfile(OpenAiApiTests.WithKeys.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class OpenAiApiTests {

    static final String KEY = "sk-coursebot-test-webui-0001";
    static final String QUESTION = "How do I read a JSON body in Express?";
    static final String COURSE_URL = "https://course.example.org/part3/b/#receiving-data";
    static final String OTHER_URL = "https://other.example.org/node/body/#parsing";

    TestDatabase database;
    FakeOpenAiServer openAi;

    @TestHTTPResource("/v1")
    URI v1;

    /** Extractive answers, two keys, no rate limit (OpenAiRateLimitTests has one). */
    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false",
                    "coursebot.api.keys", "webui:" + KEY + ",sk-coursebot-test-bare-0002");
        }
    }

    @BeforeEach
    void seed() {
        CourseFixture.seed(database);
        // A second course that answers the same question from its own page.
        CourseFixture.insert(database, "other", "https://other.example.org/", "node/body/", "Node › Parsing bodies",
                "Parsing bodies", 0, "In plain Node, collect the request's data events and parse the body with JSON.parse.",
                QUESTION, "parsing");
        openAi.reset();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(key).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(question);
    }

    private static <T> T extra(Map<String, JsonValue> properties, String name, TypeReference<T> type) {
        assertThat(properties).containsKey(name);
        return properties.get(name).convert(type);
    }

    @Test
    void answersWithTheTextThenItsSourcesAndTheCitationsBesideIt() {
        ChatCompletion completion = client(KEY).chat().completions().create(ask("coursebot-course", QUESTION).build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("coursebot-course");
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        String content = choice.message().content().orElseThrow();
        assertThat(content).contains("express.json()").contains("[1]")
                .endsWith("\n\nSources:\n1. [Receiving data](" + COURSE_URL + ")");
        assertThat(completion.usage()).hasValueSatisfying(usage -> {
            assertThat(usage.promptTokens()).as("the question's tokens").isEqualTo(tokens(QUESTION));
            assertThat(usage.completionTokens()).as("the content's tokens").isEqualTo(tokens(content));
            assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
        });
        assertThat(extra(completion._additionalProperties(), "citations", new TypeReference<List<String>>() {
        })).containsExactly(COURSE_URL);
        Map<String, Object> coursebot = extra(completion._additionalProperties(), "coursebot",
                new TypeReference<Map<String, Object>>() {
                });
        assertThat(coursebot).containsEntry("covered", true).containsEntry("mode", "extractive")
                .containsEntry("degraded", false)
                .containsEntry("embeddingSpace", Map.of("id", 1, "model", "text-embedding-3-small", "dimension", 1536));
        @SuppressWarnings("unchecked")
        Map<String, Object> citation = ((List<Map<String, Object>>) coursebot.get("citations")).get(0);
        assertThat(citation).containsOnlyKeys("index", "title", "url", "similarity").containsEntry("index", 1)
                .containsEntry("title", "Receiving data").containsEntry("url", COURSE_URL);
        assertThat(((Number) citation.get("similarity")).doubleValue()).isGreaterThan(0.99);
    }

    @Test
    void streamsTheSameTextChunkByChunkAndEndsWithStopAndTheCitations() {
        OpenAIClient client = client(KEY);
        String whole = client.chat().completions().create(ask("coursebot-course", QUESTION).build())
                .choices().get(0).message().content().orElseThrow();

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("coursebot-course", QUESTION).build())) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(chunks.get(0).choices().get(0).delta().role())
                .contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> assertThat(c.id()).isEqualTo(chunks.get(0).id()));
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo(whole);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.choices().get(0).finishReason()).isEmpty());
        assertThat(extra(last._additionalProperties(), "citations", new TypeReference<List<String>>() {
        })).containsExactly(COURSE_URL);
        assertThat(extra(last._additionalProperties(), "coursebot", new TypeReference<Map<String, Object>>() {
        })).containsEntry("covered", true);
        assertThat(last.usage()).as("no usage unless asked for").isEmpty();
    }

    @Test
    void sendsServerSentEventsFramedAsOpenAiDoes() {
        String body = given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body(Map.of("model", "coursebot", "stream", true, "messages", List.of(Map.of("role", "user", "content", QUESTION))))
                .post("/v1/chat/completions").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/event-stream"))
                .extract().asString();
        assertThat(body).startsWith("data: {\"id\":\"chatcmpl-").endsWith("\n\ndata: [DONE]\n\n");
        assertThat(body.split("\n\n")).allSatisfy(event -> assertThat(event).startsWith("data: "));
        assertThat(body).contains("\"object\":\"chat.completion.chunk\"").contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}")
                .contains("\"delta\":{},\"finish_reason\":\"stop\"");
    }

    @Test
    void withIncludeUsageALastChunkWithoutChoicesCarriesTheUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(KEY).chat().completions().createStreaming(
                ask("coursebot", QUESTION).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(chunks::add);
        }
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(last.usage()).hasValueSatisfying(usage -> {
            assertThat(usage.promptTokens()).isEqualTo(tokens(QUESTION));
            assertThat(usage.completionTokens()).isEqualTo(tokens(text.toString()));
        });
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void maxTokensCutsTheTextAndSaysLength() {
        OpenAIClient client = client(KEY);
        String whole = client.chat().completions().create(ask("coursebot-course", QUESTION).build())
                .choices().get(0).message().content().orElseThrow();
        ChatCompletion cut = client.chat().completions().create(ask("coursebot-course", QUESTION).maxTokens(12).build());

        String text = cut.choices().get(0).message().content().orElseThrow();
        assertThat(cut.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(whole).startsWith(text);
        assertThat(tokens(text)).isBetween(10, 12);
        assertThat(cut.usage().orElseThrow().completionTokens()).isEqualTo(tokens(text));

        StringBuilder streamed = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> reasons = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("coursebot-course", QUESTION).maxCompletionTokens(12).build())) {
            stream.stream().flatMap(c -> c.choices().stream()).forEach(choice -> {
                choice.delta().content().ifPresent(streamed::append);
                choice.finishReason().ifPresent(reasons::add);
            });
        }
        assertThat(reasons).containsExactly(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        assertThat(whole).startsWith(streamed.toString());
        assertThat(tokens(streamed.toString())).isBetween(10, 12);
    }

    @Test
    void listsCoursebotAndOneModelPerCourse() {
        OpenAIClient client = client(KEY);
        assertThat(client.models().list().data()).extracting(Model::id)
                .containsExactly("coursebot", "coursebot-course", "coursebot-other");
        Model other = client.models().retrieve("coursebot-other");
        assertThat(other.ownedBy()).isEqualTo("coursebot");
        assertThat(other.created()).isPositive();
        NotFoundException missing = catchThrowableOfType(NotFoundException.class,
                () -> client.models().retrieve("coursebot-nothing"));
        assertThat(missing.code()).contains("model_not_found");
    }

    @Test
    void aCourseModelAnswersFromThatCourseOnly() {
        OpenAIClient client = client(KEY);
        for (var expected : Map.of("coursebot-course", COURSE_URL, "coursebot-other", OTHER_URL).entrySet()) {
            ChatCompletion completion = client.chat().completions().create(ask(expected.getKey(), QUESTION).build());
            assertThat(extra(completion._additionalProperties(), "citations", new TypeReference<List<String>>() {
            })).as(expected.getKey()).containsExactly(expected.getValue());
        }
        ChatCompletion all = client.chat().completions().create(ask("coursebot", QUESTION).build());
        assertThat(extra(all._additionalProperties(), "citations", new TypeReference<List<String>>() {
        })).containsExactlyInAnyOrder(COURSE_URL, OTHER_URL);
    }

    @Test
    void systemMessagesAreNotSearchedAndEarlierTurnsAreHistory() {
        ChatCompletion completion = client(KEY).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("coursebot-course")
                .addSystemMessage("You are a helpful assistant. Talk about Kubernetes deployments.")
                .addUserMessage("What does EADDRINUSE mean?")
                .addAssistantMessage("Another process already listens on the port.")
                .addUserMessage(QUESTION).build());
        assertThat(extra(completion._additionalProperties(), "citations", new TypeReference<List<String>>() {
        })).containsExactly(COURSE_URL);
        assertThat(completion.usage().orElseThrow().promptTokens()).as("every message's content").isEqualTo(
                tokens("You are a helpful assistant. Talk about Kubernetes deployments.")
                        + tokens("What does EADDRINUSE mean?")
                        + tokens("Another process already listens on the port.") + tokens(QUESTION));
    }

    @Test
    void aWrongOrMissingKeyIsUnauthorized() {
        UnauthorizedException wrong = catchThrowableOfType(UnauthorizedException.class,
                () -> client("sk-wrong").chat().completions().create(ask("coursebot", QUESTION).build()));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.code()).contains("invalid_api_key");
        assertThat(wrong.type()).contains("invalid_request_error");
        given().get("/v1/models").then().statusCode(401).contentType("application/json")
                .body("error.code", equalTo("invalid_api_key")).body("error.param", nullValue());
        // The bare key of the list works too.
        assertThat(client("sk-coursebot-test-bare-0002").models().list().data()).isNotEmpty();
    }

    @Test
    void anUnknownModelIsNotFound() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class,
                () -> client(KEY).chat().completions().create(ask("gpt-4o", QUESTION).build()));
        assertThat(e.code()).contains("model_not_found");
        assertThat(e.param()).contains("model");
    }

    @Test
    void badRequestsNameTheParameterAtFault() {
        OpenAIClient client = client(KEY);
        record Case(ChatCompletionCreateParams params, String param, String code) {
        }
        for (Case c : List.of(
                new Case(ChatCompletionCreateParams.builder().model("coursebot").addSystemMessage("Be brief.").build(),
                        "messages", "invalid_value"),
                new Case(ask("coursebot", "  ").build(), "messages[0].content", "empty_string"),
                new Case(ask("coursebot", "x".repeat(2001)).build(), "messages[0].content", "string_above_max_length"),
                new Case(ask("coursebot", QUESTION).maxTokens(0).build(), "max_tokens", "integer_below_min_value"),
                new Case(ask("coursebot", QUESTION).temperature(2.5).build(), "temperature", "decimal_above_max_value"),
                new Case(ask("coursebot", QUESTION).n(2).build(), "n", "invalid_value"))) {
            BadRequestException e = catchThrowableOfType(BadRequestException.class,
                    () -> client.chat().completions().create(c.params()));
            assertThat(e).as(c.param()).isNotNull();
            assertThat(e.param()).as(c.param()).contains(c.param());
            assertThat(e.code()).as(c.param()).contains(c.code());
            assertThat(e.type()).contains("invalid_request_error");
        }
        OpenAIServiceException streamed = catchThrowableOfType(BadRequestException.class, () -> {
            try (var stream = client.chat().completions().createStreaming(ask("coursebot", " ").build())) {
                stream.stream().count();
            }
        });
        assertThat(streamed.param()).contains("messages[0].content");
    }

    @Test
    void malformedBodiesAndUnknownUrlsGetOpenAiErrorsAndUnknownFieldsAreIgnored() {
        given().header("Authorization", "Bearer " + KEY).contentType("application/json").body("{\"model\": ")
                .post("/v1/chat/completions").then().statusCode(400).contentType("application/json")
                .body("error.type", equalTo("invalid_request_error")).body("error.message", org.hamcrest.Matchers.containsString("JSON"));
        given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body(Map.of("model", "coursebot", "messages", "hello")).post("/v1/chat/completions").then()
                .statusCode(400).body("error.param", equalTo("messages")).body("error.code", equalTo("invalid_type"));
        given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body(Map.of("model", "coursebot", "messages", List.of(Map.of("role", "user", "content", QUESTION)),
                        "tools", List.of(), "user", "student-7", "frequency_penalty", 0, "logit_bias", Map.of()))
                .post("/v1/chat/completions").then().statusCode(200).body("object", equalTo("chat.completion"));
        given().header("Authorization", "Bearer " + KEY).get("/v1/embeddings").then().statusCode(404)
                .contentType("application/json").body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", "Bearer " + KEY).get("/v1/chat/completions").then().statusCode(404)
                .contentType("application/json");
        // /api keeps its problem details.
        given().contentType("application/json").body("{\"question\": ").post("/api/chat").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
