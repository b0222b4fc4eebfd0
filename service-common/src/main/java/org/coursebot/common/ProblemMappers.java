package org.coursebot.common;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where exceptions become responses: problem details, never a stack trace. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String detail;
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            detail = "the JSON is nested too deep or too large";
        } else if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            // Name the field only when it is one of ours: a client's key names never reach a response or a log.
            String field = m.getPath().get(m.getPath().size() - 1).getFieldName();
            detail = field != null && field.matches("[a-zA-Z]{1,20}") ? "field " + field + " has the wrong type or shape"
                    : "the body has the wrong shape: a JSON object with a question is expected";
        } else if (e instanceof JsonMappingException) {
            detail = "the body has the wrong shape: a JSON object is expected";
        } else {
            detail = "the body is not valid JSON";
        }
        return respond(Problem.of("malformed-json", "Malformed JSON", 400, detail, Map.of()));
    }

    /**
     * Named so that it wins over RESTEasy Reactive's built-in mapper for it (priority 5100: an empty 400 in
     * production). Parse errors and too-deep JSON arrive wrapped in a WebApplicationException: see {@link #web}.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    /** A Content-Type or Accept header that is not a media type at all ("a/b/c"). */
    @ServerExceptionMapper
    public Response badMediaType(IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Failed to parse media type")) {
            return respond(Problem.of("malformed-media-type", "Bad Request", 400,
                    "a Content-Type or Accept header is not a media type; send application/json", Map.of()));
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 406 -> "no acceptable representation; ask for application/json";
            case 415 -> "unsupported content type; send application/json";
            default -> title;
        };
        return respond(Problem.of(slug, title, status, detail, Map.of()));
    }

    /** The database went away (restart, failover, network): the client may try again shortly. */
    @ServerExceptionMapper
    public Response databaseUnavailable(java.io.IOException e) {
        return meansDatabaseUnavailable(e) ? unavailable(e) : unexpected(e);
    }

    @ServerExceptionMapper
    public Response databaseUnavailable(io.vertx.sqlclient.ClosedConnectionException e) {
        return unavailable(e);
    }

    @ServerExceptionMapper
    public Response databaseRefused(io.vertx.pgclient.PgException e) {
        return meansDatabaseUnavailable(e) ? unavailable(e) : unexpected(e);
    }

    /**
     * Whether a failure means the database cannot answer for a while, which a client may retry (503), rather than a
     * fault (500); for /api here and for /v1's error body alike:
     * <ul>
     * <li>its connection closed, refused or reset: a {@link java.net.SocketException}, Vert.x's
     * {@code ClosedConnectionException}, or the socket's own "Connection reset by peer" / "Broken pipe" (an
     * IOException since JDK 13, seen when PostgreSQL restarts under load: the only sockets a request's code writes to
     * are the database's and the chat model's, whose failures end in the extractive answer instead);</li>
     * <li>PostgreSQL refusing work for a while: connection errors (08), too many connections or out of resources
     * (53), and an operator or a restart at work (57P01 shutting down connections, 57P03 starting up or shutting
     * down);</li>
     * <li>a hot standby cancelling a statement that held its replay back longer than
     * {@code max_standby_streaming_delay} ("conflict with recovery", 40001): chat-service may search a read replica,
     * and the same statement asked again runs. Neither service runs a SERIALIZABLE transaction, so on a primary no
     * statement of theirs fails with it.</li>
     * </ul>
     */
    public static boolean meansDatabaseUnavailable(Throwable failure) {
        if (failure instanceof java.net.SocketException || failure instanceof io.vertx.sqlclient.ClosedConnectionException) {
            return true;
        }
        if (failure instanceof java.io.IOException && failure.getMessage() != null
                && (failure.getMessage().endsWith("Connection reset by peer") || failure.getMessage().endsWith("Broken pipe"))) {
            return true;
        }
        String state = failure instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null ? pg.getSqlState() : "";
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals("40001");
    }

    private static Response unavailable(Exception e) {
        Log.warnf("database unavailable: %s", e.getMessage());
        return Response.fromResponse(respond(Problem.of("database-unavailable", "Service unavailable", 503,
                "the database cannot be reached just now; try again in a few seconds", Map.of())))
                .header("Retry-After", 5).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        Log.errorf(e, "unexpected error");
        return respond(Problem.of("internal-error", "Internal error", 500,
                "the server could not answer; the error is logged", Map.of()));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
