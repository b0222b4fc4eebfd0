package org.coursebot.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 and a free port, for tests and benchmarks: the real client
 * code runs against it. Speaks {@code POST /v1/embeddings} and {@code POST /v1/chat/completions} (JSON and
 * streamed {@code data:} chunks ending with {@code data: [DONE]}). Embeddings are deterministic unit vectors
 * seeded by a hash of the text (same text, same vector). Failures are scripted per endpoint, and every
 * request is recorded with what it carried and when it came.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    /** A scripted answer that replaces the next normal response of an endpoint. */
    public record Failure(int status, Duration delay, String retryAfter, String retryAfterMs, String message) {

        /** 429 with {@code Retry-After: seconds}. */
        public static Failure rateLimited(int retryAfterSeconds) {
            return new Failure(429, Duration.ZERO, String.valueOf(retryAfterSeconds), null, "Rate limit reached");
        }

        /** 429 with {@code retry-after-ms} only. */
        public static Failure rateLimitedMs(long millis) {
            return new Failure(429, Duration.ZERO, null, String.valueOf(millis), "Rate limit reached");
        }

        public static Failure status(int status) {
            return new Failure(status, Duration.ZERO, null, null, "scripted failure " + status);
        }

        public static Failure unauthorized() {
            return new Failure(401, Duration.ZERO, null, null, "Incorrect API key provided: sk-te***");
        }

        /** A normal answer, sent only after {@code delay} (past a client's timeout). */
        public static Failure slow(Duration delay) {
            return new Failure(200, delay, null, null, null);
        }
    }

    /** One request as the server saw it. */
    public record Received(String path, Instant at, String model, List<String> inputs, Integer dimensions,
            String encodingFormat, List<Integer> tokens, int status, String authorization, JsonObject body) {

        public int totalTokens() {
            return tokens.stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Failure> embeddingFailures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> chatFailures = new ConcurrentLinkedQueue<>();
    private volatile boolean shuffleIndexes;
    private volatile int defaultDimension = 1536;
    private volatile int maxRecords = Integer.MAX_VALUE;
    private volatile String chatReply = "The course covers this in the first section [1].";

    private FakeOpenAiServer() {
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    /** Starts on 127.0.0.1 and a free port. */
    public static FakeOpenAiServer start() {
        return start(0);
    }

    /** Starts on 127.0.0.1 and {@code port} (0: a free one). */
    public static FakeOpenAiServer start(int port) {
        FakeOpenAiServer fake = new FakeOpenAiServer();
        try {
            fake.server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            fake.close();
            throw new IllegalStateException("cannot start the fake OpenAI server: " + e, e);
        }
        return fake;
    }

    /**
     * Runs the server on its own, for benchmark scripts: {@code [port] [dimension]}; prints its base URL on
     * the first line of stdout and serves until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        FakeOpenAiServer fake = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        if (args.length > 1) {
            fake.dimension(Integer.parseInt(args[1]));
        }
        fake.maxRecords = 1000; // a long benchmark must not grow the record without bound
        System.out.println(fake.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The base URL clients configure ({@code quarkus.langchain4j.openai.base-url}), ending in /v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    /** Answers the next embeddings requests with these, in order, before answering normally again. */
    public FakeOpenAiServer failEmbeddings(Failure... failures) {
        Collections.addAll(embeddingFailures, failures);
        return this;
    }

    public FakeOpenAiServer failChat(Failure... failures) {
        Collections.addAll(chatFailures, failures);
        return this;
    }

    /** Returns {@code data[]} in a shuffled order (each item keeps its true {@code index}), as the API may. */
    public FakeOpenAiServer shuffleIndexes(boolean shuffle) {
        this.shuffleIndexes = shuffle;
        return this;
    }

    /** Dimension of vectors when the request names no {@code dimensions}. */
    public FakeOpenAiServer dimension(int dimension) {
        this.defaultDimension = dimension;
        return this;
    }

    public FakeOpenAiServer chatReply(String reply) {
        this.chatReply = reply;
        return this;
    }

    /** Every request so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String pathSuffix) {
        return received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    /** Forgets recorded requests and pending failures. */
    public void reset() {
        received.clear();
        embeddingFailures.clear();
        chatFailures.clear();
        shuffleIndexes = false;
    }

    /** The vector this server returns for {@code text}: a unit vector seeded by the text's SHA-256. */
    public static float[] vectorFor(String text, int dimension) {
        Random random = new Random(seed(text));
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= scale;
        }
        return v;
    }

    public static int tokens(String text) {
        return CL100K.countTokensOrdinary(text);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            JsonObject body;
            try {
                body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
            } catch (RuntimeException e) {
                error(request, 400, "invalid_request_error", "We could not parse the JSON body of your request.");
                return;
            }
            String path = request.path();
            if (request.method().name().equals("POST") && path.endsWith("/embeddings")) {
                answer(request, body, embeddingFailures.poll(), true);
            } else if (request.method().name().equals("POST") && path.endsWith("/chat/completions")) {
                answer(request, body, chatFailures.poll(), false);
            } else {
                error(request, 404, "invalid_request_error", "Unknown request URL: " + request.method() + " " + path);
            }
        });
    }

    private void answer(HttpServerRequest request, JsonObject body, Failure failure, boolean embeddings) {
        int status = failure == null ? 200 : failure.status();
        Received received = record(request, body, status, embeddings);
        Runnable respond = () -> {
            if (status != 200) {
                var response = request.response();
                if (failure.retryAfter() != null) {
                    response.putHeader("Retry-After", failure.retryAfter());
                }
                if (failure.retryAfterMs() != null) {
                    response.putHeader("retry-after-ms", failure.retryAfterMs());
                }
                String type = status == 429 ? "rate_limit_exceeded" : status == 401 ? "invalid_api_key" : "server_error";
                error(request, status, type, failure.message());
            } else if (embeddings) {
                embeddingsResponse(request, received);
            } else {
                chatResponse(request, body);
            }
        };
        if (failure != null && !failure.delay().isZero()) {
            vertx.setTimer(failure.delay().toMillis(), id -> respond.run());
        } else {
            respond.run();
        }
    }

    private Received record(HttpServerRequest request, JsonObject body, int status, boolean embeddings) {
        List<String> inputs = new ArrayList<>();
        if (embeddings) {
            Object input = body.getValue("input");
            if (input instanceof JsonArray array) {
                array.forEach(i -> inputs.add(String.valueOf(i)));
            } else if (input != null) {
                inputs.add(String.valueOf(input));
            }
        }
        List<Integer> tokens = inputs.stream().map(FakeOpenAiServer::tokens).toList();
        Received r = new Received(request.path(), Instant.now(), body.getString("model"), List.copyOf(inputs),
                body.getInteger("dimensions"), body.getString("encoding_format"), tokens, status,
                request.getHeader("Authorization"), body);
        received.add(r);
        while (received.size() > maxRecords) {
            received.remove(0);
        }
        return r;
    }

    private void embeddingsResponse(HttpServerRequest request, Received r) {
        int dimension = r.dimensions() != null ? r.dimensions() : defaultDimension;
        boolean base64 = "base64".equals(r.encodingFormat());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < r.inputs().size(); i++) {
            order.add(i);
        }
        if (shuffleIndexes) {
            Collections.shuffle(order, new Random(order.size()));
            if (order.size() > 1 && order.equals(order.stream().sorted().toList())) {
                Collections.reverse(order);
            }
        }
        StringBuilder json = new StringBuilder(64 + r.inputs().size() * dimension * 12);
        json.append("{\"object\":\"list\",\"data\":[");
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            json.append(k == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
            appendVector(json, vectorFor(r.inputs().get(i), dimension), base64);
            json.append('}');
        }
        int total = r.totalTokens();
        json.append("],\"model\":\"").append(r.model()).append("\",\"usage\":{\"prompt_tokens\":").append(total)
                .append(",\"total_tokens\":").append(total).append("}}");
        request.response().putHeader("Content-Type", "application/json").end(json.toString());
    }

    private static void appendVector(StringBuilder json, float[] v, boolean base64) {
        if (base64) {
            ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(v);
            json.append('"').append(Base64.getEncoder().encodeToString(bytes.array())).append('"');
            return;
        }
        json.append('[');
        for (int d = 0; d < v.length; d++) {
            json.append(d == 0 ? "" : ",").append(v[d]);
        }
        json.append(']');
    }

    private void chatResponse(HttpServerRequest request, JsonObject body) {
        String model = body.getString("model", "gpt-4o-mini");
        String id = "chatcmpl-fake" + received.size();
        long created = Instant.now().getEpochSecond();
        if (body.getBoolean("stream", false)) {
            var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            for (String piece : chatReply.split("(?<= )")) {
                JsonObject delta = new JsonObject().put("content", piece);
                response.write("data: " + chunk(id, created, model, delta, null).encode() + "\n\n");
            }
            response.write("data: " + chunk(id, created, model, new JsonObject(), "stop").encode() + "\n\n");
            response.end("data: [DONE]\n\n");
            return;
        }
        JsonObject message = new JsonObject().put("role", "assistant").put("content", chatReply);
        int promptTokens = tokens(body.encode());
        int completionTokens = tokens(chatReply);
        JsonObject json = new JsonObject().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", promptTokens)
                        .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens));
        request.response().putHeader("Content-Type", "application/json").end(json.encode());
    }

    private static JsonObject chunk(String id, long created, String model, JsonObject delta, String finish) {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", delta).put("finish_reason", finish)));
    }

    private static void error(HttpServerRequest request, int status, String type, String message) {
        JsonObject error = new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .putNull("param").put("code", type));
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(error.encode());
    }

    private static long seed(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
