package org.coursebot.chat.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat API over the real database (read-only role) and the fake OpenAI server, in extractive mode. */
@QuarkusTest
@TestProfile(ChatApiTests.Extractive.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class ChatApiTests {

    TestDatabase database;
    FakeOpenAiServer openAi;

    /** Extractive answers, no rate limit (its own test has one), CORS for one origin. */
    public static class Extractive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "extractive", "coursebot.rate-limit.enabled", "false",
                    "coursebot.chat.allowed-origins", "https://course.example.org");
        }
    }

    @BeforeEach
    void seed() {
        CourseFixture.seed(database);
        openAi.reset();
    }

    @Test
    void searchFindsTheSectionMergesItsChunksAndCitesItsAnchor() {
        given().queryParam("q", "How do I read a JSON body in Express?").get("/api/search").then().statusCode(200)
                .body("hits", hasSize(1))
                .body("hits[0].title", equalTo("Receiving data"))
                .body("hits[0].url", equalTo("https://course.example.org/part3/b/#receiving-data"))
                .body("hits[0].content", containsString("express.json()"))
                .body("hits[0].content", containsString("request.body is undefined"))
                .body("hits[0].partId", equalTo("3")).body("hits[0].moduleId", equalTo("b"))
                .body("degraded", equalTo(false))
                .body("embeddingSpace.id", equalTo(1))
                .body("embeddingSpace.model", equalTo("text-embedding-3-small"))
                .body("embeddingSpace.dimension", equalTo(1536));
    }

    @Test
    void aChatEmbedsTheQuestionOnceRunsOneSearchStatementAndAnAskedAgainQuestionGoesStraightToTheDatabase() {
        String question = "How do I read a JSON body in Express, once?";
        double statements = statements();
        given().contentType("application/json").body(Map.of("question", question, "threshold", 0)).post("/api/chat").then()
                .statusCode(200).body("citations", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()));
        assertThat(openAi.received("/embeddings")).as("the question embedded once, for search and answer").hasSize(1);
        assertThat(statements()).as("one search statement: the answer uses its hits").isEqualTo(statements + 1);
        given().contentType("application/json").body(Map.of("question", question, "threshold", 0)).post("/api/chat").then()
                .statusCode(200);
        assertThat(openAi.received("/embeddings")).as("the cached vector: no embedding request").hasSize(1);
        assertThat(statements()).isEqualTo(statements + 2);
    }

    /** Search statements run so far (the coursebot.search.phase timer's count). */
    private static double statements() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("coursebot_search_phase_seconds_count") && l.contains("phase=\"statement\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void fullTextRescuesAnExactTermTheVectorDoesNotFind() {
        // The vector of "EADDRINUSE" is unrelated to every chunk; only full-text search knows the term.
        given().queryParam("q", "EADDRINUSE").queryParam("threshold", "0").get("/api/search").then().statusCode(200)
                .body("hits.title", org.hamcrest.Matchers.hasItem("Ports in use"));
    }

    @Test
    void chatAnswersExtractivelyFromTheSectionAndCitesIt() {
        given().contentType("application/json").body(Map.of("question", "How do I read a JSON body in Express?"))
                .post("/api/chat").then().statusCode(200)
                .body("mode", equalTo("extractive")).body("covered", equalTo(true))
                .body("answer", containsString("express.json()")).body("answer", containsString("[1]"))
                .body("citations", hasSize(1))
                .body("citations[0].index", equalTo(1))
                .body("citations[0].url", equalTo("https://course.example.org/part3/b/#receiving-data"))
                .body("embeddingSpace.id", equalTo(1));
    }

    @Test
    void aFollowUpIsSearchedWithTheQuestionItLeansOnAndSaysSo() {
        String first = "How do I read a JSON body in Express?";
        given().contentType("application/json").body(Map.of("question", "and why is it undefined?",
                        "history", List.of(Map.of("role", "user", "content", first),
                                Map.of("role", "assistant", "content", "Use express.json() [1]."))))
                .post("/api/chat").then().statusCode(200)
                .body("followUp", equalTo(true))
                .body("searchedFor", equalTo(first + "\nand why is it undefined?"));
        assertThat(openAi.received("/embeddings")).extracting(r -> r.inputs().get(0))
                .as("the question embedded is the follow-up with its question, never the assistant's words")
                .containsExactly(first + " and why is it undefined?"); // whitespace folded by the embedder
        given().contentType("application/json").body(Map.of("question", "How do I deploy to Kubernetes?",
                        "history", List.of(Map.of("role", "user", "content", first))))
                .post("/api/chat").then().statusCode(200)
                .body("followUp", equalTo(false)).body("searchedFor", equalTo("How do I deploy to Kubernetes?"));
    }

    @Test
    void aQuestionThatIsNotCoveredAloneIsSearchedOnceMoreWithTheConversationsTopic() {
        String first = "How do I read a JSON body in Express?";
        String question = "Why does my server print nothing at all when I send the request with curl from the terminal";
        // Covered only in its conversation: the one section whose vector is that of both questions together.
        CourseFixture.insert(database, "part3/b/", "Express › Testing with curl", "Testing with curl", 2,
                "curl -H 'Content-Type: application/json' -d '{}' sends a JSON body; without the header it is ignored.",
                first + " " + question, "testing-with-curl");
        database.execute("SELECT coursebot_refresh_vocabulary()");
        given().contentType("application/json").body(Map.of("question", question, "history",
                        List.of(Map.of("role", "user", "content", first))))
                .post("/api/chat").then().statusCode(200)
                .body("covered", equalTo(true)).body("followUp", equalTo(true))
                .body("searchedFor", equalTo(first + "\n" + question))
                .body("citations[0].url", equalTo("https://course.example.org/part3/b/#testing-with-curl"));
        assertThat(openAi.received("/embeddings")).extracting(r -> r.inputs().get(0))
                .as("alone first, then with the earlier question").containsExactly(question, first + " " + question);
        given().contentType("application/json").body(Map.of("question", question)).post("/api/chat").then()
                .statusCode(200).body("covered", equalTo(false)).body("followUp", equalTo(false));
    }

    @Test
    void aQuestionTheCourseDoesNotCoverIsSaidToBeNotCovered() {
        given().contentType("application/json").body(Map.of("question", "How do I deploy to Kubernetes?"))
                .post("/api/chat").then().statusCode(200)
                .body("covered", equalTo(false))
                .body("answer", containsString("does not seem to cover"));
    }

    @Test
    void streamsTokensThenCitationsThenDone() {
        String body = given().contentType("application/json").accept("text/event-stream")
                .body(Map.of("question", "How do I read a JSON body in Express?"))
                .post("/api/chat").then().statusCode(200).contentType(containsString("text/event-stream"))
                .extract().asString();
        List<String> events = body.lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim()).toList();
        assertThat(events).contains("token").endsWith("citations", "done");
        assertThat(events.indexOf("citations")).isGreaterThan(events.lastIndexOf("token"));
        assertThat(body).contains("receiving-data").contains("\"covered\":true")
                .contains("\"embeddingSpace\":{\"id\":1,\"model\":\"text-embedding-3-small\",\"dimension\":1536}");
    }

    @Test
    void whenQuestionsCannotBeEmbeddedItAnswersFromFullTextAndSaysSo() {
        openAi.failEmbeddings(FakeOpenAiServer.Failure.status(500), FakeOpenAiServer.Failure.status(500),
                FakeOpenAiServer.Failure.status(500));
        given().queryParam("q", "express.json middleware body").get("/api/search").then().statusCode(200)
                .body("degraded", equalTo(true))
                .body("hits[0].title", equalTo("Receiving data"))
                .body("hits[0].similarity", nullValue());
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        record Case(Object body, String field) {
        }
        for (Case c : List.of(
                new Case(Map.of("question", ""), "question"),
                new Case(Map.of("question", "   "), "question"),
                new Case(Map.of("question", "x".repeat(2001)), "question"),
                new Case(Map.of("question", "q", "k", 0), "k"),
                new Case(Map.of("question", "q", "k", 21), "k"),
                new Case(Map.of("question", "q", "threshold", 1.5), "threshold"),
                new Case(Map.of("question", "q", "history", java.util.Collections.nCopies(21, Map.of("role", "user", "content", "hi"))), "history"),
                new Case(Map.of("question", "q", "history", List.of(Map.of("role", "system", "content", "x"))), "role"),
                new Case(Map.of("question", "q", "history", List.of(Map.of("role", "user"))), "content"),
                new Case(Map.of("question", "q", "history", java.util.Arrays.asList((Object) null)), "history"),
                new Case(Map.of("question", "q", "history", List.of(Map.of("role", "user", "content", "x".repeat(4001)))), "content"))) {
            given().contentType("application/json").body(c.body()).post("/api/chat").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("fields." + c.field(), org.hamcrest.Matchers.notNullValue());
        }
        given().contentType("application/json").body("{\"question\": ").post("/api/chat").then()
                .statusCode(400).contentType("application/problem+json").body("type", containsString("malformed-json"));
        given().contentType("text/plain").body("hello").post("/api/chat").then()
                .statusCode(415).contentType("application/problem+json");
        given().get("/api/search").then().statusCode(400).contentType("application/problem+json");
        given().queryParam("q", "x").queryParam("k", "99").get("/api/search").then().statusCode(400)
                .body("fields.k", org.hamcrest.Matchers.notNullValue());
        given().queryParam("q", "x").queryParam("k", "five").get("/api/search").then().statusCode(400)
                .body("fields.k", equalTo("must be between 1 and 20"));
        given().queryParam("q", "x").queryParam("threshold", "NaN").queryParam("k", "0").get("/api/search").then()
                .statusCode(400).body("fields.threshold", equalTo("must be between 0 and 1"))
                .body("fields.k", equalTo("must be between 1 and 20"))
                .body("detail", equalTo("k: must be between 1 and 20; threshold: must be between 0 and 1"));
        given().contentType("application/json").body("null").post("/api/chat").then().statusCode(400)
                .body("fields.body", equalTo("a JSON body is required"));
        given().contentType("application/json").accept("text/event-stream").body(Map.of("question", " ")).post("/api/chat")
                .then().statusCode(400).contentType("application/problem+json").body("fields.question", equalTo("must not be empty"));
    }

    @Test
    void corsAllowsOnlyTheConfiguredOrigin() {
        given().header("Origin", "https://course.example.org").header("Access-Control-Request-Method", "POST")
                .options("/api/chat").then().header("Access-Control-Allow-Origin", "https://course.example.org");
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/chat").then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void servesTheChatPage() {
        given().get("/").then().statusCode(200).body(containsString("<html"));
        given().get("/widget.js").then().statusCode(200);
    }
}
