package org.coursebot.common.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.logging.Log;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.coursebot.common.Problem;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Guards /admin: disabled (404) without ADMIN_TOKEN, 401 without the right bearer token; logs every call. A browser's
 * GET of an admin page (a path of {@link #PAGES}, asking for HTML first) passes: the page holds no data, and asks for
 * the token itself.
 */
public class AdminAuthFilter {

    static final Set<String> PAGES = Set.of("/admin/insights");

    private final byte[] tokenDigest;

    public AdminAuthFilter(AdminConfig config) {
        this.tokenDigest = config.token().map(AdminAuthFilter::sha256).orElse(null);
    }

    @ServerRequestFilter
    public Optional<Response> authorize(ContainerRequestContext request) {
        if (!isAdmin(request) || isPage(request)) {
            return Optional.empty();
        }
        if (tokenDigest == null) {
            return Optional.of(problem(Problem.of("admin-disabled", "Not found", 404,
                    "the admin API is disabled: set ADMIN_TOKEN to enable it", Map.of())));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        // Comparing digests keeps the comparison constant-time whatever the presented length.
        if (!MessageDigest.isEqual(tokenDigest, sha256(presented))) {
            return Optional.of(Response.fromResponse(problem(Problem.of("unauthorized", "Unauthorized", 401,
                            "send Authorization: Bearer <ADMIN_TOKEN>", Map.of())))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"coursebot-admin\"").build());
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    public void log(ContainerRequestContext request, ContainerResponseContext response) {
        if (isAdmin(request)) {
            Log.infof("admin %s /%s -> %d", request.getMethod(), request.getUriInfo().getPath().replaceFirst("^/", ""),
                    response.getStatus());
        }
    }

    private static boolean isAdmin(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    private static boolean isPage(ContainerRequestContext request) {
        List<MediaType> accepted = request.getAcceptableMediaTypes();
        return "GET".equals(request.getMethod()) && PAGES.contains(request.getUriInfo().getPath())
                && !accepted.isEmpty() && !accepted.get(0).isWildcardType()
                && accepted.get(0).isCompatible(MediaType.TEXT_HTML_TYPE);
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
