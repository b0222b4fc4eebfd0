package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.vertx.mutiny.core.Vertx;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServer.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilientEmbedderTests {

    private Vertx vertx;
    private FakeOpenAiServer fake;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        fake = FakeOpenAiServer.start();
    }

    @AfterEach
    void stop() {
        fake.close();
        vertx.closeAndAwait();
    }

    @Test
    void anOpenCircuitRefusesCallsWithoutSendingThem() {
        try (EmbeddingEngine engine = engine("coursebot.embedding.circuit.failure-threshold", "2",
                "coursebot.embedding.question.max-retries", "0")) {
            fake.failEmbeddings(Failure.status(500), Failure.status(500));
            var batch = engine.batches(List.of("q")).get(0);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                        .await().atMost(Duration.ofSeconds(5))).hasMessageContaining("500");
            }
            assertThatThrownBy(() -> engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                    .await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.CIRCUIT_OPEN));
            assertThat(fake.received("/embeddings")).hasSize(2);
        }
    }

    @Test
    void aTrialRequestCancelledByItsCallerDoesNotKeepTheCircuitOpen() {
        // A question's deadline cancels its call; when that call was the half-open trial, the circuit must let
        // another through (it refused every call for good before: the chat stayed degraded after the API was back).
        try (EmbeddingEngine engine = engine("coursebot.embedding.circuit.failure-threshold", "1",
                "coursebot.embedding.circuit.open-duration", "200ms", "coursebot.embedding.question.max-retries", "0")) {
            var batch = engine.batches(List.of("q")).get(0);
            fake.failEmbeddings(Failure.status(500), Failure.hang());
            assertThatThrownBy(() -> engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                    .await().atMost(Duration.ofSeconds(5))).hasMessageContaining("500");
            sleep(Duration.ofMillis(300));
            assertThatThrownBy(() -> engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                    .await().atMost(Duration.ofMillis(300))).as("the trial hangs; its caller gives up")
                    .isInstanceOf(io.smallrye.mutiny.TimeoutException.class);

            assertThat(engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                    .await().atMost(Duration.ofSeconds(5))).as("the next call is the trial").hasSize(1);
            assertThat(fake.received("/embeddings")).hasSize(3);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetryAfterLongerThanTheQuestionDeadlineFailsAtOnceInsteadOfWaiting() {
        try (EmbeddingEngine engine = engine("coursebot.embedding.question.timeout", "5s")) {
            fake.failEmbeddings(Failure.rateLimited(30));
            var batch = engine.batches(List.of("q")).get(0);
            long start = System.nanoTime();

            assertThatThrownBy(() -> engine.embed(batch, engine.questionPolicy(), EmbeddingListener.NONE)
                    .await().atMost(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.RATE_LIMITED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(fake.received("/embeddings")).hasSize(1);
        }
    }

    @Test
    void honoursRetryAfterMilliseconds() {
        try (EmbeddingEngine engine = engine()) {
            fake.failEmbeddings(Failure.rateLimitedMs(1500));
            var batch = engine.batches(List.of("q")).get(0);

            engine.embed(batch, engine.batchPolicy(), EmbeddingListener.NONE).await().atMost(Duration.ofSeconds(10));

            var requests = fake.received("/embeddings");
            assertThat(requests).hasSize(2);
            assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void readsBase64EncodedVectorsAndSendsDimensionsOnlyToShortenAModel() {
        try (EmbeddingEngine engine = engine("coursebot.embedding.encoding-format", "base64",
                "coursebot.embedding.dimensions", "256")) {
            var batch = engine.batches(List.of("a", "b")).get(0);
            List<float[]> v = engine.embed(batch, engine.batchPolicy(), EmbeddingListener.NONE).await().atMost(Duration.ofSeconds(10));

            assertThat(v.get(1)).containsExactly(FakeOpenAiServer.vectorFor("b", 256));
            assertThat(fake.received("/embeddings").get(0).dimensions()).isEqualTo(256);
        }
    }

    @Test
    void rejectsAResponseWithTheWrongDimensionInsteadOfStoringIt() {
        fake.dimension(384);
        try (EmbeddingEngine engine = engine()) {
            var batch = engine.batches(List.of("a")).get(0);
            assertThatThrownBy(() -> engine.embed(batch, engine.batchPolicy(), EmbeddingListener.NONE).await().atMost(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.INVALID_RESPONSE))
                    .hasMessageContaining("384 dimensions, expected 1536");
        }
    }

    @Test
    void aHostNameThatDoesNotResolveFailsAtOnceAsUnreachableWithoutRetrying() {
        // .invalid never resolves (RFC 6761); the JDK's resolver reads only the test hosts file (see the pom).
        try (EmbeddingEngine engine = engineAt("http://api.coursebot.invalid/v1")) {
            var batch = engine.batches(List.of("q")).get(0);
            List<EmbeddingFailure> retried = new java.util.ArrayList<>();
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.embed(batch, engine.batchPolicy(), retries(retried)).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class, f -> {
                        assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.UNKNOWN_HOST);
                        assertThat(f.unreachable()).isTrue();
                        assertThat(f.getMessage()).startsWith("the embeddings API at api.coursebot.invalid cannot be reached");
                    });
            // The batch policy's six attempts would wait ~31 s.
            assertThat(retried).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRefusedConnectionIsRetriedLikeAnyThenReportedUnreachable() throws Exception {
        try (EmbeddingEngine engine = engineAt("http://127.0.0.1:" + freePort() + "/v1",
                "coursebot.embedding.retry.max-attempts", "3", "coursebot.embedding.retry.initial-backoff", "10ms")) {
            var batch = engine.batches(List.of("q")).get(0);
            List<EmbeddingFailure> retried = new java.util.ArrayList<>();
            assertThatThrownBy(() -> engine.embed(batch, engine.batchPolicy(), retries(retried)).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class, f -> {
                        assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.REFUSED);
                        assertThat(f.unreachable()).isTrue();
                        assertThat(f.getMessage()).contains("cannot be reached", "Connection refused", "(after 3 attempts)");
                    });
            assertThat(retried).hasSize(2).allSatisfy(f -> assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.REFUSED));
        }
    }

    @Test
    void refusalsThatOpenTheCircuitStillFailTheCallAsUnreachable() throws Exception {
        // Refused, refused (the circuit opens), then the circuit's own refusal ends the call: it fails as its requests did.
        try (EmbeddingEngine engine = engineAt("http://127.0.0.1:" + freePort() + "/v1",
                "coursebot.embedding.retry.max-attempts", "3", "coursebot.embedding.retry.initial-backoff", "10ms",
                "coursebot.embedding.circuit.failure-threshold", "2")) {
            var batch = engine.batches(List.of("q")).get(0);
            List<EmbeddingFailure> retried = new java.util.ArrayList<>();
            assertThatThrownBy(() -> engine.embed(batch, engine.batchPolicy(), retries(retried)).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class, f -> {
                        assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.REFUSED);
                        assertThat(f.unreachable()).isTrue();
                        assertThat(f.getMessage()).endsWith("(after 3 attempts)");
                    });
            assertThat(retried).extracting(EmbeddingFailure::kind)
                    .containsExactly(EmbeddingFailure.Kind.REFUSED, EmbeddingFailure.Kind.REFUSED);
        }
    }

    @Test
    void resetsAndServerErrorsAreRetriedAndNeverMakeTheApiUnreachable() {
        try (EmbeddingEngine engine = engine("coursebot.embedding.retry.max-attempts", "2",
                "coursebot.embedding.retry.initial-backoff", "10ms")) {
            fake.failEmbeddings(Failure.reset(), Failure.status(503));
            var batch = engine.batches(List.of("q")).get(0);
            assertThatThrownBy(() -> engine.embed(batch, engine.batchPolicy(), EmbeddingListener.NONE).await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(EmbeddingFailure.class, f -> {
                        assertThat(f.kind()).isEqualTo(EmbeddingFailure.Kind.SERVER_ERROR);
                        assertThat(f.unreachable()).isFalse();
                    });
            assertThat(fake.received("/embeddings")).hasSize(2);
            for (int status : new int[] {429, 500, 502, 503}) {
                assertThat(EmbeddingFailure.ofStatus("h", status, null, null).unreachable()).as("status %d", status).isFalse();
            }
            assertThat(EmbeddingFailure.ofStatus("h", 401, null, null).unreachable()).isTrue();
            assertThat(EmbeddingFailure.ofStatus("h", 403, null, null).unreachable()).isTrue();
        }
    }

    @Test
    void failuresWithoutAResponseAreToldApartAsUnreachableOrTransient() {
        OpenAiEmbeddingsClient client = new OpenAiEmbeddingsClient(vertx, "https://api.example.invalid/v1", "sk-test",
                ProviderSelection.of(TestConfigs.config("coursebot.embedding.api-key", "sk-test")), "float", Runnable::run);
        try {
            var noResolverAnswered = new java.net.UnknownHostException("api.example.invalid");
            noResolverAnswered.initCause(new java.util.concurrent.TimeoutException("query timed out"));
            assertThat(kind(client, new java.net.UnknownHostException("api.example.invalid: Name or service not known")))
                    .isEqualTo(EmbeddingFailure.Kind.UNKNOWN_HOST);
            assertThat(kind(client, new java.net.UnknownHostException("api.example.invalid: Temporary failure in name resolution")))
                    .isEqualTo(EmbeddingFailure.Kind.NO_RESOLVER);
            assertThat(kind(client, noResolverAnswered)).isEqualTo(EmbeddingFailure.Kind.NO_RESOLVER);
            assertThat(kind(client, new java.net.ConnectException("Connection refused"))).isEqualTo(EmbeddingFailure.Kind.REFUSED);
            // Transient: a connect that hangs (a ConnectException too), a request that hangs, a reset.
            assertThat(kind(client, new io.netty.channel.ConnectTimeoutException("connection timed out")))
                    .isEqualTo(EmbeddingFailure.Kind.TIMEOUT);
            assertThat(kind(client, new java.util.concurrent.TimeoutException("request timed out"))).isEqualTo(EmbeddingFailure.Kind.TIMEOUT);
            assertThat(kind(client, new java.net.SocketException("Connection reset"))).isEqualTo(EmbeddingFailure.Kind.CONNECTION);
            assertThat(((EmbeddingFailure) client.transportFailure(new java.net.ConnectException("Connection refused"))).getMessage())
                    .startsWith("the embeddings API at api.example.invalid cannot be reached");
        } finally {
            client.close();
        }
    }

    private static EmbeddingFailure.Kind kind(OpenAiEmbeddingsClient client, Throwable transport) {
        EmbeddingFailure failure = (EmbeddingFailure) client.transportFailure(transport);
        assertThat(failure.unreachable()).as(failure.getMessage()).isEqualTo(failure.kind() != EmbeddingFailure.Kind.TIMEOUT
                && failure.kind() != EmbeddingFailure.Kind.CONNECTION);
        return failure.kind();
    }

    private static EmbeddingListener retries(List<EmbeddingFailure> retried) {
        return new EmbeddingListener() {
            @Override
            public void onRetry(EmbeddingFailure failure, Duration wait, int attempt) {
                retried.add(failure);
            }
        };
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed again: nothing listens there
        }
    }

    private EmbeddingEngine engineAt(String baseUrl, String... overrides) {
        String[] keys = new String[overrides.length + 4];
        keys[0] = "coursebot.embedding.api-key";
        keys[1] = "sk-test";
        keys[2] = "coursebot.embedding.base-url";
        keys[3] = baseUrl;
        System.arraycopy(overrides, 0, keys, 4, overrides.length);
        return new EmbeddingEngine(TestConfigs.config(keys), vertx, Runnable::run);
    }

    private EmbeddingEngine engine(String... overrides) {
        return engineAt(fake.baseUrl(), overrides);
    }
}
