package org.coursebot.chat.insights;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.coursebot.chat.search.CourseSources;
import org.coursebot.common.FieldErrors;
import org.coursebot.common.InputText;

/**
 * {@code /admin/insights?since=7d&source=<course>}: the report as JSON (admin token), of every course or one; and for
 * a browser the staff page that asks for the token and shows it (the page holds no data: AdminAuthFilter lets it
 * through).
 */
@Path("/admin/insights")
public class InsightsAdminResource {

    static final String PAGE = "META-INF/resources/admin-insights.html";

    private final InsightsService insights;
    private final CourseSources sources;
    /** The page's bytes, once read. */
    private volatile byte[] page;

    public InsightsAdminResource(InsightsService insights, CourseSources sources) {
        this.insights = insights;
        this.sources = sources;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<InsightsReport> report(@QueryParam("since") String since, @QueryParam("source") String source) {
        Duration period = InsightsService.period(since);
        String wanted = InputText.clean(source);
        new FieldErrors().require(wanted == null || wanted.length() <= 100, "source", "must be at most 100 characters")
                .throwIfAny();
        return sources.require(wanted, "source").chain(course -> insights.report(period, course));
    }

    /** Only for a client that asks for HTML first (qs: any other, such as curl's *&#47;*, gets the JSON). */
    @GET
    @Produces("text/html;qs=0.5")
    public Response page() throws IOException {
        byte[] html = page;
        if (html == null) { // read once, on the first browser that asks (a worker thread: not on the event loop)
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(PAGE)) {
                if (in == null) {
                    return Response.status(404).build();
                }
                page = html = in.readAllBytes();
            }
        }
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).header("Cache-Control", "no-store")
                .build();
    }
}
