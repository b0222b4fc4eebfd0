package org.coursebot.chat.v1;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import org.coursebot.common.ProblemException;
import org.coursebot.common.ProblemMappers;

/**
 * An error of /v1 as OpenAI's API sends it, {@code {"error": {"message", "type", "param", "code"}}} with the status
 * OpenAI uses for it, so that its SDKs raise their usual exceptions (BadRequestException, UnauthorizedException,
 * NotFoundException, RateLimitException, InternalServerException). /api keeps its problem details.
 *
 * @param retryAfterSeconds sent as Retry-After when not null (429, 503)
 */
public record OpenAiError(int status, String message, String type, String param, String code, Long retryAfterSeconds) {

    static final String INVALID_REQUEST = "invalid_request_error";

    /** A 400 naming the request field at fault, as OpenAI names it ({@code messages[2].content}). */
    static OpenAiError invalid(String param, String code, String message) {
        return new OpenAiError(400, message, INVALID_REQUEST, param, code, null);
    }

    static OpenAiError invalidApiKey(boolean presented) {
        return new OpenAiError(401, presented ? "Incorrect API key provided." : "You didn't provide an API key. "
                + "Send it as 'Authorization: Bearer <key>'.", INVALID_REQUEST, null, "invalid_api_key", null);
    }

    static OpenAiError modelNotFound(String model) {
        return new OpenAiError(404, "The model '" + model + "' does not exist; GET /v1/models lists the models.",
                INVALID_REQUEST, "model", "model_not_found", null);
    }

    /** OpenAI's own 429: type "requests", code "rate_limit_exceeded", and when to try again. */
    static OpenAiError rateLimited(String message, long retryAfterSeconds) {
        return new OpenAiError(429, message, "requests", null, "rate_limit_exceeded", retryAfterSeconds);
    }

    /** What any failure is to a /v1 client; unexpected ones are logged, and the client gets no detail of them. */
    static OpenAiError of(Throwable failure) {
        if (failure instanceof OpenAiException e) {
            return e.error();
        }
        if (failure instanceof ProblemException e) {
            int status = e.problem().status();
            return new OpenAiError(status, e.problem().detail(), typeOf(status), null, null, null);
        }
        if (ProblemMappers.meansDatabaseUnavailable(failure)) {
            Log.warnf("database unavailable: %s", failure.getMessage());
            return new OpenAiError(503, "The database cannot be reached just now; try again in a few seconds.",
                    "server_error", null, null, 5L);
        }
        Log.errorf(failure, "unexpected error on /v1");
        return new OpenAiError(500, "The server had an error while processing your request; the error is logged.",
                "server_error", null, null, null);
    }

    /**
     * A failure after a stream has begun (the chat model stalled or broke off mid-answer): what ChatService lets
     * through once text has reached the client. An event in the stream, as OpenAI sends one; logged without a trace.
     */
    static OpenAiError midStream(Throwable failure) {
        Log.warnf("/v1 stream ended early: %s", failure.toString());
        return new OpenAiError(500, "The answer could not be completed; try again.", "server_error", null, null, null);
    }

    /** The error type OpenAI gives a status. */
    static String typeOf(int status) {
        return status == 429 ? "requests" : status >= 500 ? "server_error" : INVALID_REQUEST;
    }

    /** {@code {"error": {...}}}, nulls kept: OpenAI sends every one of the four fields. */
    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    /**
     * Answers with this error from a Vert.x route (nothing if an answer has begun). {@code closeConnection}: the rest
     * of the request is not wanted (as Problem.end does it, HTTP/1.x only).
     */
    void end(RoutingContext context, boolean closeConnection) {
        var response = context.response();
        if (response.headWritten() || response.closed()) {
            return;
        }
        boolean close = closeConnection && context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (retryAfterSeconds != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"coursebot\"");
        }
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Json.encode(body())).onComplete(done -> {
            if (close) {
                context.request().connection().close();
            }
        });
    }
}
