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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.coursebot.common.FieldErrors;
import org.coursebot.ingest.admin.SpaceService.SpaceView;
import org.coursebot.ingest.store.RunStatus;

/** Operators change the embedding model here (Bearer ADMIN_TOKEN): create, build, activate, roll back, retire. */
@Path("/admin/spaces")
@Produces(MediaType.APPLICATION_JSON)
public class SpaceAdminResource {

    /** Longer than any provider's model name; the name is stored and shown, never trusted to be short. */
    static final int MAX_MODEL = 200;

    private final SpaceService spaces;

    public SpaceAdminResource(SpaceService spaces) {
        this.spaces = spaces;
    }

    @GET
    public Uni<List<SpaceView>> list() {
        return spaces.list();
    }

    @GET
    @Path("/{id}")
    public Uni<SpaceView> get(@PathParam("id") int id) {
        return spaces.get(id);
    }

    /** {@code {"model": "text-embedding-3-small", "provider": "openai", "dimensions": 1536}}; provider and dimensions optional. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateSpaceRequest request) {
        new FieldErrors()
                .require(request != null && request.model() != null && !request.model().isBlank(), "model",
                        "required: the embedding model's name")
                .require(request == null || request.model() == null || request.model().length() <= MAX_MODEL, "model",
                        "must be at most " + MAX_MODEL + " characters")
                .require(request == null || request.dimensions() == null || request.dimensions() > 0, "dimensions",
                        "must be positive")
                .throwIfAny();
        return spaces.create(request.provider(), request.model().strip(), request.dimensions())
                .map(view -> Response.status(201).entity(view).build());
    }

    /** Body optional: {@code {"dryRun": true}} counts the requests, tokens and cost without embedding. */
    @POST
    @Path("/{id}/build")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> build(@PathParam("id") int id, BuildRequest request) {
        boolean dryRun = request != null && Boolean.TRUE.equals(request.dryRun());
        return spaces.build(id, dryRun).map(runId -> Response.accepted(
                Map.of("runId", runId, "spaceId", id, "status", RunStatus.RUNNING.wire(), "dryRun", dryRun)).build());
    }

    @POST
    @Path("/{id}/activate")
    public Uni<SpaceView> activate(@PathParam("id") int id) {
        return spaces.activate(id);
    }

    @POST
    @Path("/{id}/retire")
    public Uni<SpaceView> retire(@PathParam("id") int id) {
        return spaces.retire(id);
    }

    /** A new space. */
    public record CreateSpaceRequest(String provider, String model, Integer dimensions) {
    }

    /** A build. */
    public record BuildRequest(Boolean dryRun) {
    }
}
