package org.coursebot.chat.v1;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.chat.api.ClientLimits;
import org.coursebot.chat.limits.ClientRateLimiter;
import org.coursebot.chat.answer.Asker;
import org.coursebot.chat.api.RateLimitFilter;
import org.coursebot.chat.v1.CompletionRequest.Completion;
import org.coursebot.common.HttpLimitsConfig;

/**
 * The OpenAI-compatible API, for chat front-ends that speak OpenAI's Chat Completions (Open WebUI, LibreChat, bots):
 * {@code POST /v1/chat/completions}, {@code GET /v1/models}, {@code GET /v1/models/{id}}. Vert.x routes rather than a
 * JAX-RS resource: whether the answer is JSON or a stream of {@code data:} events depends on the body's
 * {@code stream}, not on Accept (OpenAI's SDKs send Accept: application/json either way), and a Multi returned from
 * JAX-RS has one media type fixed by {@code @Produces}. Every /v1 request passes /api's client limits, then the API
 * key and the rate limit; every error is OpenAI's error body ({@link OpenAiError}).
 */
@ApplicationScoped
public class OpenAiRoutes {

    /** The routing context's key for the client admit() counted the request against. */
    private static final String CLIENT = "coursebot.client";

    /** Before Quarkus REST (RouteConstants.ROUTE_ORDER_DEFAULT), so that no /v1 URL gets /api's problem details. */
    private static final int UNKNOWN_URL_ORDER = 9_000;

    private final ClientLimits clientLimits;
    private final ClientRateLimiter limiter;
    private final ApiKeys keys;
    private final ModelCatalog models;
    private final CompletionService completions;
    private final ObjectMapper json;
    private final HttpLimitsConfig limits;
    private final ApiConfig api;

    public OpenAiRoutes(ClientLimits clientLimits, ClientRateLimiter limiter, ApiKeys keys, ModelCatalog models,
                        CompletionService completions, ObjectMapper json, HttpLimitsConfig limits, ApiConfig api) {
        this.api = api;
        this.clientLimits = clientLimits;
        this.limiter = limiter;
        this.keys = keys;
        this.models = models;
        this.completions = completions;
        this.json = json;
        this.limits = limits;
    }

    void install(@Observes Router router) {
        router.route("/v1/*").order(-100).handler(context -> clientLimits.guard(context, OpenAiRoutes::refuse));
        router.route("/v1/*").order(-90).handler(this::admit);
        router.get("/v1/models").handler(context -> respond(context, models.list().map(ModelList::of)));
        router.get("/v1/models/:id").handler(context -> respond(context, models.find(context.pathParam("id"))));
        router.post("/v1/chat/completions").handler(BodyHandler.create(false).setBodyLimit(limits.maxBodySize()))
                .handler(this::completions);
        router.route("/v1/*").order(UNKNOWN_URL_ORDER).handler(context -> new OpenAiError(404, "Invalid URL: /v1 "
                + "has GET /v1/models, GET /v1/models/{id} and POST /v1/chat/completions.",
                OpenAiError.INVALID_REQUEST, null, "unknown_url", null).end(context, false));
        router.route("/v1/*").failureHandler(this::failed);
    }

    /** The API key (when keys are configured) and the rate limit: per key by name, else per client address. */
    /** Who asks, for the question log: the key's name when keys are configured, else the address (see admit). */
    private static Asker asker(RoutingContext context) {
        String client = context.get(CLIENT);
        return Asker.v1(client == null ? RateLimitFilter.client(context.request()) : client);
    }

    private void admit(RoutingContext context) {
        if (context.request().method() == HttpMethod.OPTIONS) {
            context.next();
            return;
        }
        String client = RateLimitFilter.client(context.request());
        int perMinute = limiter.requestsPerMinute();
        int burst = -1;
        if (keys.required()) {
            String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
            Optional<String> name = keys.nameOf(authorization);
            if (name.isEmpty()) {
                OpenAiError.invalidApiKey(authorization != null).end(context, false);
                return;
            }
            client = "key:" + name.get();
            perMinute = api.rate().requestsPerMinute();
            burst = api.rate().burst();
        }
        context.put(CLIENT, client);
        int limit = perMinute;
        // The router has paused a request with a body (Vert.x Web 4.3+); BodyHandler, after this, resumes it.
        (burst < 0 ? limiter.take(client) : limiter.take(client, perMinute, burst)).subscribe().with(retryAfter -> {
            if (retryAfter.isPresent()) {
                OpenAiError.rateLimited("Rate limit reached: at most " + limit
                        + " requests a minute; try again in " + retryAfter.getAsLong() + " s.", retryAfter.getAsLong())
                        .end(context, false);
                return;
            }
            context.next();
        }, context::fail);
    }

    private void completions(RoutingContext context) {
        Completion request;
        try {
            request = parse(context.body().buffer()).validated();
        } catch (OpenAiException e) {
            e.error().end(context, false);
            return;
        }
        if (request.stream()) {
            stream(context, models.source(request.model())
                    .onItem().transformToMulti(source -> completions.stream(request, source, asker(context))));
        } else {
            respond(context, models.source(request.model()).chain(source -> completions.complete(request, source, asker(context))));
        }
    }

    /** The body as a request; a body that is not one is a 400 naming the field at fault, when there is one. */
    private CompletionRequest parse(Buffer body) {
        try {
            CompletionRequest request = body == null || body.length() == 0 ? null
                    : json.readValue(body.getBytes(), CompletionRequest.class);
            if (request == null) {
                throw new OpenAiException(OpenAiError.invalid(null, null, "The body must be a JSON object."));
            }
            return request;
        } catch (JsonMappingException e) {
            String param = param(e);
            throw new OpenAiException(param == null
                    ? OpenAiError.invalid(null, null, "The body must be a JSON object; we could not parse it.")
                    : OpenAiError.invalid(param, "invalid_type", "Invalid type for '" + param + "'."));
        } catch (JsonProcessingException e) {
            throw new OpenAiException(OpenAiError.invalid(null, null,
                    "We could not parse the JSON body of your request: it is not valid JSON."));
        } catch (IOException e) {
            throw new OpenAiException(OpenAiError.invalid(null, null, "The body could not be read."));
        }
    }

    /** OpenAI's name of the field a mapping error is about ({@code messages[0].role}); only names of ours. */
    private static String param(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return null;
        }
        String param = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).substring(1);
        return param.matches("[a-z_]{1,30}(\\[\\d{1,3}]|\\.[a-z_]{1,30}){0,3}") ? param : null;
    }

    /** A JSON answer with status 200, or the error; the work is cancelled when the client goes away. */
    private void respond(RoutingContext context, Uni<?> answer) {
        // Set before subscribing: an answer that is ready at once ends the response, after which no handler can be set.
        AtomicReference<Cancellable> work = new AtomicReference<>();
        context.response().closeHandler(closed -> Optional.ofNullable(work.get()).ifPresent(Cancellable::cancel));
        work.set(answer.subscribe().with(item -> {
            if (!context.response().closed()) {
                context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(encode(item));
            }
        }, failure -> OpenAiError.of(failure).end(context, false)));
    }

    /**
     * Server-sent events as OpenAI sends them: {@code data: {chunk}} and a blank line per chunk, then
     * {@code data: [DONE]}. One chunk is written at a time, the next requested when the write has completed, so a
     * slow reader holds back the answer rather than filling memory. The status and headers wait for the first chunk:
     * a failure before it (the search) gets its own status; a failure after it is an event holding OpenAI's error
     * body, which OpenAI's SDKs raise as an error, and the stream ends without [DONE].
     */
    private void stream(RoutingContext context, Multi<ChatCompletionChunk> chunks) {
        HttpServerResponse response = context.response();
        chunks.subscribe().withSubscriber(new MultiSubscriber<ChatCompletionChunk>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                response.closeHandler(closed -> s.cancel());
                s.request(1);
            }

            @Override
            public void onItem(ChatCompletionChunk chunk) {
                if (!response.headWritten()) {
                    response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                }
                response.write("data: " + encode(chunk) + "\n\n").onComplete(written -> {
                    if (written.succeeded()) {
                        subscription.request(1);
                    } else {
                        subscription.cancel();
                    }
                });
            }

            @Override
            public void onFailure(Throwable failure) {
                if (!response.headWritten()) {
                    OpenAiError.of(failure).end(context, false);
                } else if (!response.closed()) {
                    response.end("data: " + Json.encode(OpenAiError.midStream(failure).body()) + "\n\n");
                }
            }

            @Override
            public void onCompletion() {
                if (!response.closed()) {
                    if (!response.headWritten()) {
                        response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                    }
                    response.end("data: [DONE]\n\n");
                }
            }
        });
    }

    /** A failure a handler of /v1 did not answer itself (a body over the limit, an exception). */
    private void failed(RoutingContext context) {
        int status = context.statusCode();
        OpenAiError error = status > 0 && (context.failure() == null || context.failure() instanceof HttpException)
                ? new OpenAiError(status, "The request could not be served (HTTP " + status + ").",
                        OpenAiError.typeOf(status), null, null, null)
                : OpenAiError.of(context.failure());
        error.end(context, status == 413);
    }

    /** /api's client limits, refused in OpenAI's shape: 429 rate_limit_exceeded, 408 request_timeout. */
    private static void refuse(RoutingContext context, int status, String slug, String title, String detail,
                               boolean closeConnection) {
        String code = status == 429 ? "rate_limit_exceeded" : slug.replace('-', '_');
        new OpenAiError(status, detail, OpenAiError.typeOf(status), null, code, null).end(context, closeConnection);
    }

    private String encode(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
