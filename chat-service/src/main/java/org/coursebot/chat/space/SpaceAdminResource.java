package org.coursebot.chat.space;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.coursebot.common.ProblemException;

/** {@code /admin/spaces}: what chat-service can do with an embedding space (guarded by ADMIN_TOKEN like all of /admin). */
@Path("/admin/spaces")
public class SpaceAdminResource {

    private final SpaceProbe probe;

    public SpaceAdminResource(SpaceProbe probe) {
        this.probe = probe;
    }

    /** 200 when chat-service embedded a probe text into the space; 409 naming what it lacks; 404 for no such space. */
    @GET
    @Path("/{id}/embeddable")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Embeddability> embeddable(@PathParam("id") String id) {
        return probe.probe(spaceId(id));
    }

    private static int spaceId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            // Not echoed: a client's text never reaches a response.
            throw new ProblemException("space-not-found", "Not found", 404, "no such embedding space: ids are integers");
        }
    }
}
