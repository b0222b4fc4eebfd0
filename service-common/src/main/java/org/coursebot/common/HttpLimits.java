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
            Problem.of("uri-too-long", "URI Too Long", 414,
                    "the request target is over " + config.maxUriLength() + " characters", Map.of()).end(context, true);
            return;
        }
        int headers = 0;
        for (var header : request.headers()) {
            headers += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headers > config.maxHeaderSize()) {
            Problem.of("headers-too-large", "Request Header Fields Too Large", 431,
                    "the request headers are over " + config.maxHeaderSize() + " bytes", Map.of()).end(context, true);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && WITH_BODY.contains(request.method()) && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            Problem.of("length-required", "Length Required", 411,
                    "send the body with a Content-Length", Map.of()).end(context, true);
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
                Problem.of("bad-request", "Bad Request", 400, "Content-Length is not a number", Map.of()).end(context, true);
                return;
            }
            if (bytes > config.maxBodySize()) {
                Problem.of("body-too-large", "Content Too Large", 413,
                        "the body is over " + config.maxBodySize() + " bytes", Map.of()).end(context, true);
                return;
            }
        }
        context.next();
    }
}
