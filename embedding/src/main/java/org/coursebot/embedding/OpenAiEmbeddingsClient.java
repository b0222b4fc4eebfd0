package org.coursebot.embedding;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * {@code POST /embeddings} of any OpenAI-compatible API, on the Vert.x event loop (no thread waits).
 * Written against the wire format rather than through langchain4j's OpenAiEmbeddingModel because that
 * model (1.14) maps {@code data[]} in arrival order, ignoring {@code index}, and the Quarkus REST client
 * under it turns error responses into an exception without their {@code Retry-After} headers; here both
 * are kept, so vectors always land on their text and a 429 waits as long as the server asked.
 */
public final class OpenAiEmbeddingsClient {

    private final WebClient client;
    private final String endpoint;
    /** Host and port of the API, for messages an operator reads. */
    private final String host;
    private final String apiKey;
    private final ProviderSelection selection;
    private final String encodingFormat;
    private final Executor parser;

    /**
     * @param parser where response bodies are parsed: a worker pool in the ingest path, where a response
     *        is megabytes of JSON that must not hold an event loop; the calling thread for single questions
     */
    public OpenAiEmbeddingsClient(Vertx vertx, String baseUrl, String apiKey, ProviderSelection selection,
            String encodingFormat, Executor parser) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(10_000)
                .setTryUseCompression(true)
                .setMaxPoolSize(4)
                .setUserAgent("coursebot"));
        this.endpoint = baseUrl.replaceAll("/+$", "") + "/embeddings";
        this.host = hostOf(baseUrl);
        this.apiKey = apiKey;
        this.selection = selection;
        this.encodingFormat = encodingFormat;
        this.parser = parser;
    }

    /** One request; fails with {@link EmbeddingFailure} saying whether a retry may help. */
    public Uni<RemoteEmbeddings> embed(List<String> inputs, Duration timeout) {
        JsonObject body = new JsonObject()
                .put("model", selection.space().model())
                .put("input", new JsonArray(List.copyOf(inputs)))
                .put("encoding_format", encodingFormat);
        if (selection.sendDimensions()) {
            body.put("dimensions", selection.space().dimension());
        }
        var request = client.postAbs(endpoint).timeout(timeout.toMillis());
        if (apiKey != null && !apiKey.isBlank()) {
            request.putHeader("Authorization", "Bearer " + apiKey);
        }
        return request.sendJsonObject(body)
                .onFailure().transform(this::transportFailure)
                .emitOn(parser)
                .map(response -> read(response, inputs.size()));
    }

    private RemoteEmbeddings read(HttpResponse<Buffer> response, int expected) {
        if (response.statusCode() / 100 != 2) {
            throw EmbeddingFailure.ofStatus(host, response.statusCode(), RetryAfter.parse(
                    response.getHeader("retry-after-ms"), response.getHeader("retry-after")), response.bodyAsString());
        }
        try {
            return EmbeddingsResponseParser.parse(response.body().getBytes(), expected, selection.space().dimension());
        } catch (IOException e) {
            throw new EmbeddingFailure(EmbeddingFailure.Kind.MALFORMED_RESPONSE, response.statusCode(), null,
                    "the embeddings API answered " + response.statusCode() + " with a body that is not complete JSON: "
                            + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new EmbeddingFailure(EmbeddingFailure.Kind.INVALID_RESPONSE, response.statusCode(), null,
                    "the embeddings API answered " + response.statusCode() + " with an unusable body: " + e.getMessage(), e);
        }
    }

    /**
     * A failure with no response. A name that does not resolve or a refused connection means the API cannot be
     * reached (see {@link EmbeddingFailure.Kind}); a timeout (a connect or the request) is a hang; anything else (a
     * reset, a connection closed mid-response) is retried.
     */
    Throwable transportFailure(Throwable e) {
        if (e instanceof EmbeddingFailure) {
            return e;
        }
        Throwable unknownHost = cause(e, UnknownHostException.class::isInstance);
        if (unknownHost != null) {
            return lookupFailure(unknownHost, e);
        }
        Throwable timeout = cause(e, OpenAiEmbeddingsClient::isTimeout);
        if (timeout != null) {
            return new EmbeddingFailure(EmbeddingFailure.Kind.TIMEOUT, 0, null,
                    "the embeddings API at " + host + " did not answer in time: " + timeout.getMessage(), e);
        }
        Throwable refused = cause(e, ConnectException.class::isInstance);
        if (refused != null) {
            return new EmbeddingFailure(EmbeddingFailure.Kind.REFUSED, 0, null,
                    "the embeddings API at " + host + " cannot be reached: " + refused.getMessage(), e);
        }
        // Connection resets and closed connections (IOException, Vert.x HttpClosedException): retryable.
        return new EmbeddingFailure(EmbeddingFailure.Kind.CONNECTION, 0, null,
                "the connection to the embeddings API at " + host + " failed: " + e, e);
    }

    /**
     * The resolver said the name does not exist (NXDOMAIN: JDK "Name or service not known"), or no resolver answered
     * (JDK "Temporary failure in name resolution", glibc's EAI_AGAIN; Vert.x's own resolver: a query timeout).
     */
    private EmbeddingFailure lookupFailure(Throwable unknownHost, Throwable e) {
        boolean noAnswer = String.valueOf(unknownHost.getMessage()).contains("Temporary failure")
                || cause(unknownHost, OpenAiEmbeddingsClient::isTimeout) != null;
        return noAnswer
                ? new EmbeddingFailure(EmbeddingFailure.Kind.NO_RESOLVER, 0, null, "the embeddings API at " + host
                        + " cannot be reached: no DNS resolver answered for its name (" + unknownHost.getMessage() + ")", e)
                : new EmbeddingFailure(EmbeddingFailure.Kind.UNKNOWN_HOST, 0, null, "the embeddings API at " + host
                        + " cannot be reached: its name does not resolve (" + unknownHost.getMessage() + ")", e);
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout");
    }

    private static Throwable cause(Throwable e, Predicate<Throwable> matches) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (matches.test(t)) {
                return t;
            }
        }
        return null;
    }

    private static String hostOf(String baseUrl) {
        try {
            String authority = URI.create(baseUrl).getAuthority();
            return authority == null ? baseUrl : authority.substring(authority.indexOf('@') + 1); // never user:password
        } catch (IllegalArgumentException e) {
            return baseUrl;
        }
    }

    public void close() {
        client.close();
    }
}
