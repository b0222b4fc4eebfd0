package org.coursebot.common;

import java.util.Map;
import java.util.Set;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Oversized requests get a problem detail, not the HTTP layer's bare 413, 414 or 431: checked first, before the
 * body is read (route order -1000; Quarkus' own body-size check is -2). The connection is closed after such an
 * answer, since the rest of the request is not wanted.
 */
@ApplicationScoped
public class HttpLimits {

    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final HttpLimitsConfig config;

    public HttpLimits(HttpLimitsConfig config) {
        this.config = config;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 1000);
    }

    private void check(RoutingContext context) {
        var request = context.request();
        if (request.uri().length() > config.maxUriLength()) {
            refuse(context, Problem.of("uri-too-long", "URI Too Long", 414,
                    "the request target is over " + config.maxUriLength() + " characters", Map.of()));
            return;
        }
        int headers = 0;
        for (var header : request.headers()) {
            headers += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headers > config.maxHeaderSize()) {
            refuse(context, Problem.of("headers-too-large", "Request Header Fields Too Large", 431,
                    "the request headers are over " + config.maxHeaderSize() + " bytes", Map.of()));
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && WITH_BODY.contains(request.method()) && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            refuse(context, Problem.of("length-required", "Length Required", 411,
                    "send the body with a Content-Length", Map.of()));
            return;
        }
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            if (bytes < 0) {
                refuse(context, Problem.of("bad-request", "Bad Request", 400, "Content-Length is not a number", Map.of()));
                return;
            }
            if (bytes > config.maxBodySize()) {
                refuse(context, Problem.of("body-too-large", "Content Too Large", 413,
                        "the body is over " + config.maxBodySize() + " bytes", Map.of()));
                return;
            }
        }
        context.next();
    }

    private static void refuse(RoutingContext context, Problem problem) {
        // HTTP/1.x: close, or the unread body would be taken for the next request. HTTP/2 (h2c): the stream ends
        // here and its remaining frames are dropped; closing would send GOAWAY before the client reads the answer.
        boolean http1 = context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2;
        var response = context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(io.vertx.core.json.Json.encode(problem)).onComplete(done -> {
            if (http1) {
                context.request().connection().close();
            }
        });
    }
}
