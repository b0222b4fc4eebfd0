package org.coursebot.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The request sizes {@link HttpLimits} answers with a problem detail. The HTTP codec's own limits
 * ({@code quarkus.http.limits.*}) are set well above these, so that an oversized request reaches the router and
 * gets a problem instead of the codec's bare status; only a request past the codec's ceiling, or one that is not
 * HTTP at all, still gets the bare status (Quarkus 3.33 has no hook for those: quarkusio/quarkus#55082).
 */
@ConfigMapping(prefix = "coursebot.limits")
public interface HttpLimitsConfig {

    /** Characters of the request target (path and query). A 2,000-character question in CJK, URL-encoded, is ~18K. */
    @WithDefault("24576")
    int maxUriLength();

    /** Bytes of all request headers together. */
    @WithDefault("16384")
    int maxHeaderSize();

    /** Bytes of a request body (Content-Length); a body without a length is refused with 411. */
    @WithDefault("1048576")
    long maxBodySize();
}
