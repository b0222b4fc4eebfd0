package org.coursebot.ingest.exercises;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Staff see which sections of a course are taken for exercises (Bearer ADMIN_TOKEN). */
@Path("/admin/sources/{name}/exercises")
@Produces(MediaType.APPLICATION_JSON)
public class ExercisesAdminResource {

    private final ExerciseCatalog catalog;

    public ExercisesAdminResource(ExerciseCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public Uni<ExerciseList> list(@PathParam("name") String name) {
        return catalog.list(name);
    }
}
