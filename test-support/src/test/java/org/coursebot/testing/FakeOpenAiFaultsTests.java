package org.coursebot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.coursebot.testing.FakeOpenAiServer.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiFaultsTests {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeOpenAiServer fake;

    @BeforeEach
    void start() {
        fake = FakeOpenAiServer.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aResetMidResponseLeavesTheClientAnIOExceptionOrATruncatedBody() {
        fake.failEmbeddings(Failure.reset());

        try {
            HttpResponse<String> response = embed(List.of("a", "b"), Duration.ofSeconds(5));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new JsonObject(response.body())).isInstanceOf(DecodeException.class);
        } catch (IOException e) {
            // what java.net.http says when fewer bytes than the Content-Length came before the connection closed
        }
        assertThat(fake.faultsInjected()).isEqualTo(Map.of("reset", 1));
        assertThat(embedOk(List.of("a"))).as("the next request is answered normally").isEqualTo(200);
    }

    @Test
    void aMalformedAnswerIs200WithABodyThatIsNotJson() throws IOException {
        fake.failEmbeddings(Failure.malformed());

        HttpResponse<String> response = embed(List.of("a"), Duration.ofSeconds(5));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new JsonObject(response.body())).isInstanceOf(DecodeException.class);
        assertThat(fake.received("/embeddings").get(0).fault()).isEqualTo("malformed");
    }

    @Test
    void everyThirdRequestIsRateLimitedWithRetryAfter() throws IOException {
        fake.faultPlan(FaultPlans.everyNth(3, Failure.rateLimited(1)));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> response = embed(List.of("text " + i), Duration.ofSeconds(5));
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            }
        }

        assertThat(statuses).containsExactly(200, 200, 429, 200, 200, 429, 200);
        assertThat(fake.received("/embeddings")).extracting(FakeOpenAiServer.Received::sequence)
                .containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of("http_429", 2));
        assertThat(stats()).isEqualTo(new JsonObject().put("embeddingRequests", 7)
                .put("faults", new JsonObject().put("http_429", 2)));
    }

    @Test
    void anInputContainingTheMarkerIsRejectedWith400EveryTime() throws IOException {
        fake.rejectInputContaining("POISON");

        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> response = embed(List.of("fine", "has POISON inside"), Duration.ofSeconds(5));
            assertThat(response.statusCode()).isEqualTo(400);
            JsonObject error = new JsonObject(response.body()).getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("message")).contains("input[1]");
        }
        assertThat(embedOk(List.of("fine"))).isEqualTo(200);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of("http_400", 2));
    }

    @Test
    void latencyDelaysEveryEmbeddingsAnswerByAtLeastTheMinimum() throws IOException {
        fake.embeddingLatency(Duration.ofMillis(200), Duration.ofMillis(300), 7).failEmbeddings(Failure.status(503));

        for (int expected : new int[] {503, 200, 200}) {
            long start = System.nanoTime();
            HttpResponse<String> response = embed(List.of("a"), Duration.ofSeconds(5));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(response.statusCode()).isEqualTo(expected);
            assertThat(millis).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void aHangIsEndedOnlyByTheClientsOwnTimeout() throws IOException {
        fake.failEmbeddings(Failure.hang());

        long start = System.nanoTime();
        assertThatThrownBy(() -> embed(List.of("a"), Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(fake.received("/embeddings").get(0).status()).as("never answered").isZero();
        assertThat(embedOk(List.of("a"))).isEqualTo(200);
    }

    @Test
    void aSeededRandomPlanIsTheSameForTheSameSeedAndNearTheRate() {
        IntFunction<Failure> plan = FaultPlans.seededRandom(42, 0.2);
        List<Failure> first = IntStream.rangeClosed(1, 2000).mapToObj(plan).toList();
        List<Failure> again = IntStream.rangeClosed(1, 2000).mapToObj(FaultPlans.seededRandom(42, 0.2)).toList();
        List<Failure> other = IntStream.rangeClosed(1, 2000).mapToObj(FaultPlans.seededRandom(43, 0.2)).toList();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        long faults = first.stream().filter(f -> f != null).count();
        assertThat(faults).isBetween(320L, 480L);
        assertThat(first.stream().filter(f -> f != null).map(Failure::label).distinct())
                .containsExactlyInAnyOrder("http_429", "http_500", "http_502", "http_503", "reset", "malformed");
    }

    @Test
    void aBurstAnswers500And502And503InTurn() {
        IntFunction<Failure> plan = FaultPlans.burst(5, 4);

        assertThat(IntStream.rangeClosed(1, 10).mapToObj(plan).map(f -> f == null ? "ok" : f.label()))
                .containsExactly("ok", "ok", "ok", "ok", "http_500", "http_502", "http_503", "http_500", "ok", "ok");
    }

    private HttpResponse<String> embed(List<String> inputs, Duration timeout) throws IOException {
        JsonObject body = new JsonObject().put("model", "text-embedding-3-small").put("input", new JsonArray(inputs))
                .put("dimensions", 8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/embeddings")).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private int embedOk(List<String> inputs) {
        try {
            return embed(inputs, Duration.ofSeconds(5)).statusCode();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonObject stats() throws IOException {
        URI uri = URI.create(fake.baseUrl().replaceAll("/v1$", "") + "/_fake/stats");
        try {
            return new JsonObject(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
