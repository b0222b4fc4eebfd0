package org.coursebot.chat.answer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * OpenAI's streamed Chat Completions ({@code POST /chat/completions}, {@code stream: true}), spoken directly on
 * Vert.x's HTTP client: the pieces of text as the model writes them. Cancelling the stream resets the request,
 * so a client that goes away stops the model's work and its bill. (quarkus-langchain4j 1.10's OpenAI client
 * cannot: the StreamingHandle it hands out is a no-op, QuarkusOpenAiClient.NoopStreamingHandle.)
 */
@ApplicationScoped
public class ChatModelClient {

    private final Vertx vertx;
    private final AnswerConfig config;
    private final String url;
    private final String apiKey;
    private volatile HttpClient client;

    public ChatModelClient(Vertx vertx, AnswerConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.url = config.baseUrl().replaceAll("/+$", "") + "/chat/completions";
        this.apiKey = config.apiKey().orElse("");
    }

    /** One message of the conversation sent to the model. */
    public record Message(String role, String content) {
    }

    /** The answer's text, piece by piece; fails on an error status or an error inside the stream. */
    public Multi<String> stream(List<Message> messages) {
        return stream(messages, (Double) null);
    }

    /** As {@link #stream(List)}, sampled at {@code temperature} (a /v1 client's), or the configured one when null. */
    public Multi<String> stream(List<Message> messages, Double temperature) {
        return stream(messages, new ModelCall(config.model(), temperature != null ? temperature : config.temperature(),
                config.maxTokens()));
    }

    /** Which model writes, at what temperature, and how many tokens at most: the answer's, or another call's. */
    public record ModelCall(String model, double temperature, int maxTokens) {
    }

    /** As {@link #stream(List)}, by the model, temperature and token bound of {@code model}. */
    public Multi<String> stream(List<Message> messages, ModelCall model) {
        JsonObject body = new JsonObject().put("model", model.model()).put("stream", true)
                .put("temperature", model.temperature())
                .put("max_completion_tokens", model.maxTokens())
                .put("messages", new JsonArray(messages.stream()
                        .map(m -> new JsonObject().put("role", m.role()).put("content", m.content())).toList()));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.ACCEPT, "text/event-stream");
        // Bounded by the model's max tokens: at most that many pieces wait for a slow client.
        return Multi.createFrom().<String>emitter(emitter -> client().request(request).onFailure(emitter::fail)
                .onSuccess(call -> new ModelStream(emitter, call).send(body)), BackPressureStrategy.BUFFER);
    }

    /**
     * One streamed answer. {@code over} is set once, by whichever comes first: the model's end, a failure, or the
     * client going away (then the request is reset, which stops the model). After that, nothing more is passed
     * on: the reset's own error would otherwise reach an emitter that is already done. A completed answer's
     * connection is kept for the next one. (emitter.isCancelled() cannot tell the cases apart: Mutiny marks the
     * emitter cancelled before it runs the termination callback.)
     */
    private static final class ModelStream {
        private final MultiEmitter<? super String> emitter;
        private final HttpClientRequest call;
        private final AtomicBoolean over = new AtomicBoolean();

        ModelStream(MultiEmitter<? super String> emitter, HttpClientRequest call) {
            this.emitter = emitter;
            this.call = call;
            emitter.onTermination(() -> {
                if (over.compareAndSet(false, true)) {
                    call.reset(); // the client went away: stop the model's stream
                }
            });
        }

        void send(JsonObject body) {
            call.send(body.toBuffer()).onFailure(this::fail).onSuccess(response -> {
                if (response.statusCode() != 200) {
                    response.body().onComplete(text -> fail(new ChatModelException(response.statusCode(),
                            text.succeeded() ? text.result().toString() : "")));
                    return;
                }
                response.handler(RecordParser.newDelimited("\n", line -> piece(line.toString().strip())));
                response.exceptionHandler(this::fail);
                response.endHandler(end -> complete());
            });
        }

        /** One line of the event stream: {@code data: {chunk}} or {@code data: [DONE]}; others are ignored. */
        private void piece(String line) {
            if (!line.startsWith("data:") || over.get()) {
                return;
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                complete();
                return;
            }
            try {
                JsonObject chunk = new JsonObject(data);
                if (chunk.containsKey("error")) {
                    fail(new ChatModelException(200, chunk.getJsonObject("error").encode()));
                    call.reset();
                    return;
                }
                JsonArray choices = chunk.getJsonArray("choices");
                String text = choices == null || choices.isEmpty() ? null
                        : choices.getJsonObject(0).getJsonObject("delta", new JsonObject()).getString("content");
                if (text != null && !text.isEmpty()) {
                    emitter.emit(text);
                }
            } catch (RuntimeException malformed) {
                fail(new ChatModelException(200, "a malformed piece: " + malformed.getMessage()));
                call.reset();
            }
        }

        private void complete() {
            if (over.compareAndSet(false, true)) {
                emitter.complete();
            }
        }

        private void fail(Throwable e) {
            if (over.compareAndSet(false, true)) {
                emitter.fail(e);
            }
        }
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000)
                            .setKeepAliveTimeout(60).setMaxPoolSize(config.maxStreams()));
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** The model answered with an error status, or an error inside its stream. */
    public static final class ChatModelException extends RuntimeException {
        public ChatModelException(int status, String body) {
            super("chat model answered " + status + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body),
                    null, false, false);
        }
    }
}
