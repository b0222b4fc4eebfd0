package org.coursebot.common;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}. {@code type} is stable: clients
 * may switch on it; {@code extensions} carry machine-readable context (a field name, a run id).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://coursebot.dev/problems/";

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A problem whose type is {@code https://coursebot.dev/problems/<slug>}. */
    public static Problem of(String slug, String title, int status, String detail, Map<String, Object> extensions) {
        return new Problem(TYPE_BASE + slug, title, status, detail, extensions);
    }

    /**
     * Answers with this problem from a Vert.x route, before RESTEasy sees the request (nothing if an answer has
     * begun). {@code closeConnection}: the rest of the request is not wanted. Over HTTP/1.x the connection is
     * closed, or its unread body would be taken for the next request; over HTTP/2 only this stream ends (closing
     * would send GOAWAY before the client reads the answer).
     */
    public void end(io.vertx.ext.web.RoutingContext context, boolean closeConnection) {
        var response = context.response();
        if (response.headWritten()) {
            return;
        }
        boolean http1 = context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
        boolean close = closeConnection && http1;
        response.setStatusCode(status).putHeader(io.vertx.core.http.HttpHeaders.CONTENT_TYPE, MEDIA_TYPE);
        if (close) {
            response.putHeader(io.vertx.core.http.HttpHeaders.CONNECTION, "close");
        }
        response.end(io.vertx.core.json.Json.encode(this)).onComplete(done -> {
            if (close) {
                context.request().connection().close();
            }
        });
    }

    @JsonAnyGetter
    public Map<String, Object> jsonExtensions() {
        return extensions;
    }
}
