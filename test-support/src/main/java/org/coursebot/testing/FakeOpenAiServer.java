package org.coursebot.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 and a free port, for tests and benchmarks: the real client
 * code runs against it. Speaks {@code POST /v1/embeddings} and {@code POST /v1/chat/completions} (JSON and
 * streamed {@code data:} chunks ending with {@code data: [DONE]}). Embeddings are deterministic unit vectors
 * seeded by a hash of the text (same text, same vector). Failures are queued per endpoint, planned by the
 * number of an embeddings request ({@link FaultPlans}) or triggered by an input's text; embeddings answers may
 * wait a seeded random latency, streamed chat pieces a fixed pause. Every request is recorded with what it
 * carried, when it came and what it got; streamed chat answers are counted by how they ended ({@link ChatStreams}).
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    /** A 200 body cut off inside the first item. */
    private static final String MALFORMED_BODY = "{\"object\":\"list\",\"data\":[{\"embedd";

    /** A scripted answer that replaces the normal response to one request. */
    public record Failure(Kind kind, int status, Duration delay, String retryAfter, String retryAfterMs,
            String message, int pieces) {

        /** How the answer departs from a normal one. */
        public enum Kind {
            /** An error status with OpenAI's error body (and the Retry-After headers given). */
            STATUS,
            /** The normal answer, after {@code delay}. */
            SLOW,
            /** Status 200 and a Content-Length, half the body, then the connection closes. */
            RESET,
            /** No answer: the request stays open until the client gives up or the server closes. */
            HANG,
            /** Status 200 and a JSON body that ends mid-way. */
            MALFORMED,
            /**
             * A streamed chat answer that sends {@code pieces} pieces of text, then nothing more and never ends; a
             * request that does not stream gets no answer, as with {@link #HANG}.
             */
            HANG_MID_STREAM
        }

        /** A failure that sends no piece of text before it strikes. */
        public Failure(Kind kind, int status, Duration delay, String retryAfter, String retryAfterMs, String message) {
            this(kind, status, delay, retryAfter, retryAfterMs, message, 0);
        }

        /** The shape before kinds existed: an error status, or 200 for the normal answer after {@code delay}. */
        public Failure(int status, Duration delay, String retryAfter, String retryAfterMs, String message) {
            this(status == 200 ? Kind.SLOW : Kind.STATUS, status, delay, retryAfter, retryAfterMs, message);
        }

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

        /** 400 {@code invalid_request_error}: what the API answers, however often asked, to an input it refuses. */
        public static Failure invalidRequest(String message) {
            return new Failure(Kind.STATUS, 400, Duration.ZERO, null, null, message);
        }

        /** Status 200, part of the body, then the connection closes: the client sees a truncated body or a reset. */
        public static Failure reset() {
            return new Failure(Kind.RESET, 200, Duration.ZERO, null, null, null);
        }

        /** Never answers; only the client's own timeout ends the request. */
        public static Failure hang() {
            return new Failure(Kind.HANG, 0, Duration.ZERO, null, null, null);
        }

        /** A streamed chat answer stalls for good after {@code pieces} pieces of text: the client's timeout must end it. */
        public static Failure hangAfter(int pieces) {
            return new Failure(Kind.HANG_MID_STREAM, 200, Duration.ZERO, null, null, null, pieces);
        }

        /** Status 200 with a body that is not JSON: the start of a list, cut off inside its first item. */
        public static Failure malformed() {
            return new Failure(Kind.MALFORMED, 200, Duration.ZERO, null, null, null);
        }

        /**
         * Its key in {@link FakeOpenAiServer#faultsInjected()}: {@code http_429}, {@code http_500}, …, {@code slow},
         * {@code reset}, {@code hang}, {@code malformed}, {@code hang_mid_stream}.
         */
        public String label() {
            return kind == Kind.STATUS ? "http_" + status : kind.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One request as the server saw it. {@code status} is 0 for a request never answered; {@code sequence} numbers
     * embeddings requests from 1 (0 for others); {@code fault} is the {@link Failure#label()} of a non-normal answer.
     */
    public record Received(String path, Instant at, String model, List<String> inputs, Integer dimensions,
            String encodingFormat, List<Integer> tokens, int status, String authorization, JsonObject body,
            int sequence, String fault) {

        public int totalTokens() {
            return tokens.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Streamed chat answers (requests with {@code stream: true} not answered by an error, hangs included) by how
     * they ended: {@code completed} sent {@code data: [DONE]}; {@code cancelled} lost their connection first, the
     * client having closed it; the rest are still open.
     */
    public record ChatStreams(int opened, int completed, int cancelled) {

        public int open() {
            return opened - completed - cancelled;
        }

        JsonObject json() {
            return new JsonObject().put("opened", opened).put("completed", completed).put("cancelled", cancelled);
        }
    }

    private static final int OPENED = 0;
    private static final int COMPLETED = 1;
    private static final int CANCELLED = 2;

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Failure> embeddingFailures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> chatFailures = new ConcurrentLinkedQueue<>();
    private volatile boolean shuffleIndexes;
    private volatile int defaultDimension = 1536;
    private volatile int maxRecords = Integer.MAX_VALUE;
    private volatile String chatReply = "The course covers this in the first section [1].";
    private final Map<String, ModelReply> modelReplies = new ConcurrentHashMap<>();
    private final Map<String, Integer> chatRequests = new ConcurrentHashMap<>();
    private final AtomicInteger embeddingRequests = new AtomicInteger();
    private final Map<String, Integer> faults = new ConcurrentHashMap<>();
    private final List<String> rejectedMarkers = new CopyOnWriteArrayList<>();
    private final Map<String, Failure> modelFailures = new ConcurrentHashMap<>();
    private volatile IntFunction<Failure> faultPlan;
    private volatile Latency latency;
    private volatile Duration chatTokenDelay = Duration.ZERO;
    // Replaced by reset(): a stream still open then counts its end in the old array, not in the new counts.
    private volatile AtomicIntegerArray chatStreams = new AtomicIntegerArray(3);

    /** Uniform in [min, max] milliseconds, drawn in arrival order from one seeded generator. */
    private record Latency(long minMillis, long maxMillis, Random random) {

        long next() {
            return minMillis + random.nextLong(maxMillis - minMillis + 1);
        }
    }

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
     * Runs the server on its own, for benchmark scripts ({@code --help} tells the arguments); prints its base URL
     * on the first line of stdout and serves until killed. {@code GET /_fake/stats} tells what it has seen.
     */
    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.println(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FakeOpenAiServer: " + e.getMessage() + "\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        FakeOpenAiServer fake = start(options.port());
        if (options.dimension() > 0) {
            fake.dimension(options.dimension());
        }
        if (options.maxLatencyMillis() > 0) {
            fake.embeddingLatency(Duration.ofMillis(options.minLatencyMillis()),
                    Duration.ofMillis(options.maxLatencyMillis()), options.faultSeed());
        }
        if (options.faultRate() > 0) {
            fake.faultPlan(FaultPlans.seededRandom(options.faultSeed(), options.faultRate()));
        }
        options.modelReplies().forEach((model, reply) -> fake.chatReply(model, reply.reply(), reply.latency()));
        fake.maxRecords = 1000; // a long benchmark must not grow the record without bound
        System.out.println(fake.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** main's command line. */
    private record Options(int port, int dimension, long minLatencyMillis, long maxLatencyMillis, double faultRate,
            long faultSeed, Map<String, ModelReply> modelReplies) {

        static final String USAGE = """
                usage: FakeOpenAiServer [PORT [DIMENSION]] [--latency MIN_MS-MAX_MS] [--fault-rate R] [--fault-seed S]
                                        [--model-reply MODEL=MS:TEXT]...
                  PORT          0 (default): a free port
                  DIMENSION     of vectors when a request names none (default 1536)
                  --latency     every embeddings answer waits a uniformly random time in that range (seeded by S)
                  --fault-rate  that share of embeddings requests get 429, 500, 502, 503, a reset or malformed JSON
                  --fault-seed  seed of the latency and the fault plan (default 1)
                  --model-reply chat requests for MODEL are answered TEXT after MS milliseconds (other models: a
                                fixed answer at once)
                GET /_fake/stats answers {"embeddingRequests": n, "faults": {kind: count}}, and once a chat
                  answer was streamed "chatStreams": {"opened": n, "completed": n, "cancelled": n} and
                  "chatRequests": {model: n}""";

        static Options parse(String[] args) {
            List<String> positional = new ArrayList<>();
            long min = 0;
            long max = 0;
            double rate = 0;
            long seed = 1;
            Map<String, ModelReply> replies = new TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    positional.add(args[i]);
                    continue;
                }
                String option = args[i];
                if (++i == args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[i];
                switch (option) {
                    case "--latency" -> {
                        String[] range = value.split("-", 2);
                        min = Long.parseLong(range[0]);
                        max = range.length == 2 ? Long.parseLong(range[1]) : min;
                    }
                    case "--fault-rate" -> rate = Double.parseDouble(value);
                    case "--fault-seed" -> seed = Long.parseLong(value);
                    case "--model-reply" -> {
                        String[] modelAndReply = value.split("=", 2);
                        String[] msAndText = modelAndReply.length == 2 ? modelAndReply[1].split(":", 2) : new String[0];
                        if (msAndText.length != 2) {
                            throw new IllegalArgumentException("--model-reply needs MODEL=MS:TEXT, not " + value);
                        }
                        replies.put(modelAndReply[0], new ModelReply(msAndText[1],
                                Duration.ofMillis(Long.parseLong(msAndText[0]))));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (positional.size() > 2 || min < 0 || max < min || rate < 0 || rate > 1) {
                throw new IllegalArgumentException("invalid arguments " + List.of(args));
            }
            return new Options(positional.isEmpty() ? 0 : Integer.parseInt(positional.get(0)),
                    positional.size() < 2 ? 0 : Integer.parseInt(positional.get(1)), min, max, rate, seed, replies);
        }
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

    /**
     * Answers chat requests for {@code model} with {@code reply} after {@code latency} (a timer, before the first
     * byte), as a second model beside the answering one does (a condense call's); other models get {@link #chatReply}.
     */
    public FakeOpenAiServer chatReply(String model, String reply, Duration latency) {
        modelReplies.put(model, new ModelReply(reply, latency));
        return this;
    }

    private record ModelReply(String reply, Duration latency) {
    }

    /** Pauses this long (a timer) before each piece of text of a streamed chat answer. */
    public FakeOpenAiServer chatTokenDelay(Duration delay) {
        this.chatTokenDelay = delay;
        return this;
    }

    /**
     * Delays every embeddings answer, normal or failed, by a uniformly random time in [min, max] (a timer: the
     * event loop goes on serving). The times are drawn in arrival order from a generator seeded by {@code seed}.
     */
    public FakeOpenAiServer embeddingLatency(Duration min, Duration max, long seed) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
        this.latency = max.isZero() ? null : new Latency(min.toMillis(), max.toMillis(), new Random(seed));
        return this;
    }

    /**
     * Answers embeddings request number n (from 1, counting every request, retries too) with {@code plan.apply(n)},
     * or normally when that is null. Failures queued with {@link #failEmbeddings} come first. Null: no plan.
     */
    public FakeOpenAiServer faultPlan(IntFunction<Failure> plan) {
        this.faultPlan = plan;
        return this;
    }

    /**
     * Answers 400 {@code invalid_request_error} to every embeddings request one of whose inputs contains
     * {@code marker}: a permanent failure that a retry cannot fix. Queued and planned failures come first.
     */
    public FakeOpenAiServer rejectInputContaining(String marker) {
        rejectedMarkers.add(marker);
        return this;
    }

    /**
     * Answers every embeddings request for {@code model} with {@code failure}, as an API does that refuses the key
     * one model only (403), or that one space's key (401). Queued and planned failures come first.
     */
    public FakeOpenAiServer failModel(String model, Failure failure) {
        modelFailures.put(model, failure);
        return this;
    }

    /** How many embeddings requests came, retries included (the count goes on past {@code maxRecords}). */
    public int embeddingRequests() {
        return embeddingRequests.get();
    }

    /** Streamed chat answers since the last {@link #reset()}: opened, completed, cancelled by the client. */
    public ChatStreams chatStreams() {
        AtomicIntegerArray counts = chatStreams;
        return new ChatStreams(counts.get(OPENED), counts.get(COMPLETED), counts.get(CANCELLED));
    }

    /** How many embeddings requests got a non-normal answer, by {@link Failure#label()}. */
    public Map<String, Integer> faultsInjected() {
        return new TreeMap<>(faults);
    }

    /** Every request so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String pathSuffix) {
        return received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    /**
     * Forgets recorded requests, counts, pending failures, the fault plan, rejections, failing models, latency and chat
     * pauses.
     */
    public void reset() {
        received.clear();
        embeddingFailures.clear();
        chatFailures.clear();
        shuffleIndexes = false;
        embeddingRequests.set(0);
        faults.clear();
        rejectedMarkers.clear();
        modelFailures.clear();
        faultPlan = null;
        latency = null;
        chatTokenDelay = Duration.ZERO;
        modelReplies.clear();
        chatRequests.clear();
        chatStreams = new AtomicIntegerArray(3);
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

    /**
     * cl100k_base tokens as OpenAI counts them, by jtokkit's own encoder rather than the services' compact
     * {@code TokenCounter}: a test that compares a service's usage with this checks that counter too.
     */
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
            String method = request.method().name();
            if (method.equals("POST") && path.endsWith("/embeddings")) {
                int sequence = embeddingRequests.incrementAndGet();
                List<String> inputs = inputs(body);
                answer(request, body, inputs, sequence, embeddingFailure(sequence, body.getString("model", ""), inputs));
            } else if (method.equals("POST") && path.endsWith("/chat/completions")) {
                chatRequests.merge(body.getString("model", ""), 1, Integer::sum);
                answer(request, body, List.of(), 0, chatFailures.poll());
            } else if (method.equals("GET") && path.equals("/_fake/stats")) {
                JsonObject counts = new JsonObject();
                faultsInjected().forEach(counts::put);
                JsonObject stats = new JsonObject().put("embeddingRequests", embeddingRequests.get()).put("faults", counts);
                ChatStreams streams = chatStreams();
                if (streams.opened() > 0) { // an embeddings-only run's stats stay as they were
                    stats.put("chatStreams", streams.json());
                    stats.put("chatRequests", new JsonObject(new TreeMap<String, Object>(chatRequests)));
                }
                request.response().putHeader("Content-Type", "application/json").end(stats.encode());
            } else {
                error(request, 404, "invalid_request_error", "Unknown request URL: " + request.method() + " " + path);
            }
        });
    }

    /**
     * A queued failure, else the plan's, else the model's, else a rejection of the input: transient faults strike
     * before validation.
     */
    private Failure embeddingFailure(int sequence, String model, List<String> inputs) {
        Failure failure = embeddingFailures.poll();
        IntFunction<Failure> plan = faultPlan;
        if (failure == null && plan != null) {
            failure = plan.apply(sequence);
        }
        if (failure == null) {
            failure = modelFailures.get(model);
        }
        return failure != null ? failure : rejection(inputs);
    }

    private Failure rejection(List<String> inputs) {
        for (String marker : rejectedMarkers) {
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).contains(marker)) {
                    return Failure.invalidRequest("Invalid 'input[" + i + "]': this input is rejected (it contains \""
                            + marker + "\").");
                }
            }
        }
        return null;
    }

    /** {@code sequence} > 0: an embeddings request, which gets the latency and counts its faults. */
    private void answer(HttpServerRequest request, JsonObject body, List<String> inputs, int sequence,
            Failure failure) {
        Received received = record(request, body, inputs, sequence, failure);
        if (failure != null && sequence > 0) {
            faults.merge(failure.label(), 1, Integer::sum);
        }
        boolean stream = sequence == 0 && body.getBoolean("stream", false);
        Failure.Kind kind = failure == null ? null : failure.kind();
        if (stream && (kind == null || kind == Failure.Kind.SLOW || kind == Failure.Kind.HANG
                || kind == Failure.Kind.HANG_MID_STREAM)) {
            countStream(request.response());
        }
        if (kind == Failure.Kind.HANG || (kind == Failure.Kind.HANG_MID_STREAM && !stream)) {
            return; // open until the client gives up or close() ends the connection
        }
        Latency latency = sequence > 0 ? this.latency : null;
        ModelReply modelReply = sequence == 0 ? modelReplies.get(body.getString("model", "")) : null;
        long delay = (latency == null ? 0 : latency.next()) + (failure == null ? 0 : failure.delay().toMillis())
                + (modelReply == null ? 0 : modelReply.latency().toMillis());
        if (delay > 0) {
            vertx.setTimer(delay, id -> {
                if (!request.response().closed()) { // the client may have given up meanwhile
                    respond(request, body, received, failure);
                }
            });
        } else {
            respond(request, body, received, failure);
        }
    }

    private void respond(HttpServerRequest request, JsonObject body, Received received, Failure failure) {
        boolean embeddings = received.sequence() > 0;
        if (failure == null || failure.kind() == Failure.Kind.SLOW) {
            if (embeddings) {
                request.response().putHeader("Content-Type", "application/json").end(embeddingsJson(received));
            } else {
                chatResponse(request, body, -1);
            }
            return;
        }
        switch (failure.kind()) {
            case STATUS -> statusFailure(request, failure);
            case RESET -> resetMidResponse(request, embeddings ? embeddingsJson(received) : chatJson(body).encode());
            case MALFORMED -> request.response().putHeader("Content-Type", "application/json").end(MALFORMED_BODY);
            case HANG_MID_STREAM -> chatResponse(request, body, failure.pieces());
            default -> throw new IllegalStateException("no answer for " + failure.kind());
        }
    }

    private static void statusFailure(HttpServerRequest request, Failure failure) {
        var response = request.response();
        if (failure.retryAfter() != null) {
            response.putHeader("Retry-After", failure.retryAfter());
        }
        if (failure.retryAfterMs() != null) {
            response.putHeader("retry-after-ms", failure.retryAfterMs());
        }
        int status = failure.status();
        String type = status == 429 ? "rate_limit_exceeded" : status == 401 ? "invalid_api_key"
                : status < 500 ? "invalid_request_error" : "server_error";
        error(request, status, type, failure.message());
    }

    /** Promises the whole body with its Content-Length, sends half of it, then closes the connection. */
    private static void resetMidResponse(HttpServerRequest request, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        request.response().putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", String.valueOf(bytes.length))
                .write(Buffer.buffer(Arrays.copyOf(bytes, bytes.length / 2)))
                .onComplete(written -> request.connection().close());
    }

    private static List<String> inputs(JsonObject body) {
        List<String> inputs = new ArrayList<>();
        Object input = body.getValue("input");
        if (input instanceof JsonArray array) {
            array.forEach(i -> inputs.add(String.valueOf(i)));
        } else if (input != null) {
            inputs.add(String.valueOf(input));
        }
        return inputs;
    }

    private Received record(HttpServerRequest request, JsonObject body, List<String> inputs, int sequence,
            Failure failure) {
        int status = failure == null ? 200 : failure.kind() == Failure.Kind.HANG ? 0 : failure.status();
        List<Integer> tokens = inputs.stream().map(FakeOpenAiServer::tokens).toList();
        Received r = new Received(request.path(), Instant.now(), body.getString("model"), List.copyOf(inputs),
                body.getInteger("dimensions"), body.getString("encoding_format"), tokens, status,
                request.getHeader("Authorization"), body, sequence, failure == null ? null : failure.label());
        received.add(r);
        while (received.size() > maxRecords) {
            received.remove(0);
        }
        return r;
    }

    private String embeddingsJson(Received r) {
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
        return json.toString();
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

    /** {@code stallAt} >= 0: a streamed answer sends that many pieces of text, then nothing (-1: all, then the end). */
    private void chatResponse(HttpServerRequest request, JsonObject body, int stallAt) {
        String model = body.getString("model", "gpt-4o-mini");
        String id = "chatcmpl-fake" + received.size();
        long created = Instant.now().getEpochSecond();
        if (body.getBoolean("stream", false)) {
            List<String> events = new ArrayList<>();
            for (String piece : reply(model).split("(?<= )")) {
                JsonObject delta = new JsonObject().put("content", piece);
                events.add("data: " + chunk(id, created, model, delta, null).encode() + "\n\n");
            }
            events.add("data: " + chunk(id, created, model, new JsonObject(), "stop").encode() + "\n\n");
            var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            stream(response, events, 0, stallAt < 0 ? events.size() : Math.min(stallAt, events.size() - 1), false);
            return;
        }
        request.response().putHeader("Content-Type", "application/json").end(chatJson(body).encode());
    }

    /**
     * Writes {@code events} from {@code next} on, each piece of text after the {@link #chatTokenDelay} (a timer),
     * then {@code data: [DONE]}; stops for good at {@code stallAt}, or when the client has gone.
     */
    private void stream(HttpServerResponse response, List<String> events, int next, int stallAt, boolean paused) {
        long pause = chatTokenDelay.toMillis();
        for (int i = next; i < events.size(); i++) {
            if (response.closed() || i == stallAt) {
                return; // gone (its close handler counted it), or stalled: open and silent
            }
            if (pause > 0 && !paused && i < events.size() - 1) {
                int at = i;
                vertx.setTimer(pause, timer -> stream(response, events, at, stallAt, true));
                return;
            }
            paused = false;
            response.write(events.get(i));
        }
        if (!response.closed()) {
            response.end("data: [DONE]\n\n");
        }
    }

    /** Counts a streamed chat answer as opened, then as completed or, if its connection closes first, cancelled. */
    private void countStream(HttpServerResponse response) {
        AtomicIntegerArray counts = chatStreams;
        counts.incrementAndGet(OPENED);
        // Vert.x calls the end handler when the connection closes first too: ended() tells the two apart.
        response.endHandler(disposed -> counts.incrementAndGet(response.ended() ? COMPLETED : CANCELLED));
    }

    private JsonObject chatJson(JsonObject body) {
        String model = body.getString("model", "gpt-4o-mini");
        String id = "chatcmpl-fake" + received.size();
        long created = Instant.now().getEpochSecond();
        String reply = reply(model);
        JsonObject message = new JsonObject().put("role", "assistant").put("content", reply);
        int promptTokens = tokens(body.encode());
        int completionTokens = tokens(reply);
        return new JsonObject().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", promptTokens)
                        .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens));
    }

    private String reply(String model) {
        ModelReply modelReply = modelReplies.get(model);
        return modelReply == null ? chatReply : modelReply.reply();
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
