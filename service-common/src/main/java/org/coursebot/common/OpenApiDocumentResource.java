package org.coursebot.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * {@code /q/openapi}: the service's API description, YAML by default, JSON for {@code ?format=json} or
 * {@code Accept: application/json} (as Quarkus serves it). The document is generated at build time from the JAX-RS
 * resources by smallrye-open-api-maven-plugin into the jar's META-INF; why not at start-up: docs/design.md,
 * "Constraints measured, and what they forced".
 */
@Path("/q/openapi")
public class OpenApiDocumentResource {

    static final String YAML = "application/yaml";
    static final String JSON = "application/json";

    private static final Map<String, byte[]> DOCUMENTS = Map.of(YAML, read("META-INF/openapi.yaml"),
            JSON, read("META-INF/openapi.json"));

    @GET
    public Response document(@QueryParam("format") String format, @HeaderParam("Accept") String accept) {
        boolean json = format != null ? format.equalsIgnoreCase("json")
                : accept != null && accept.toLowerCase(Locale.ROOT).contains(JSON);
        String type = json ? JSON : YAML;
        byte[] document = DOCUMENTS.get(type);
        if (document.length == 0) {
            throw new ProblemException("no-api-document", "Not found", 404,
                    "this build has no META-INF/openapi document; build with Maven to generate it");
        }
        return Response.ok(document, type + ";charset=UTF-8").build();
    }

    private static byte[] read(String resource) {
        try (InputStream in = OpenApiDocumentResource.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
