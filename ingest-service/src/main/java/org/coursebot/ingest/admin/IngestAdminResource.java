package org.coursebot.ingest.admin;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.coursebot.common.FieldErrors;
import org.coursebot.ingest.pipeline.IngestRuns;
import org.coursebot.ingest.store.IngestRun;
import org.coursebot.ingest.store.RunStatus;

/** Operators start, watch and cancel ingest runs here (Bearer ADMIN_TOKEN). */
@Path("/admin/ingest")
@Produces(MediaType.APPLICATION_JSON)
public class IngestAdminResource {

    private final IngestRuns runs;

    public IngestAdminResource(IngestRuns runs) {
        this.runs = runs;
    }

    /** Body optional: {@code {"source": "name", "dryRun": false}}; source may be left out when only one exists. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(StartIngestRequest request) {
        StartIngestRequest r = request == null ? new StartIngestRequest(null, false) : request;
        return runs.start(r.source(), "admin", Boolean.TRUE.equals(r.dryRun()))
                .map(id -> Response.accepted(Map.of("runId", id, "status", RunStatus.RUNNING.wire())).build());
    }

    @GET
    @Path("/runs/{id}")
    public Uni<IngestRun> run(@PathParam("id") long id) {
        return runs.find(id);
    }

    @GET
    @Path("/runs")
    public Uni<List<IngestRun>> recent(@QueryParam("limit") String limitParam) {
        FieldErrors errors = new FieldErrors();
        int limit = errors.intParam(limitParam, 20, 1, 200, "limit");
        errors.throwIfAny();
        return runs.recent(limit);
    }

    @POST
    @Path("/runs/{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") long id) {
        return runs.cancel(id).map(run -> Response.accepted(Map.of("runId", id, "status", "cancelling")).build());
    }

    /** What to ingest. */
    public record StartIngestRequest(String source, Boolean dryRun) {
    }
}
