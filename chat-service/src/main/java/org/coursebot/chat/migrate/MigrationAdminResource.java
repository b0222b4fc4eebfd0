package org.coursebot.chat.migrate;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.coursebot.chat.compare.CompareQuestion;
import org.coursebot.chat.compare.SpaceComparisonService;
import org.coursebot.chat.compare.SpaceComparisonText;
import org.coursebot.common.FieldErrors;
import org.coursebot.common.InputText;
import org.coursebot.common.ProblemException;

/**
 * {@code POST /admin/migration/compare}: the old system's and Coursebot's top k for a question set, side by
 * side; or, with {@code "spaces": {"baseline": 1, "candidate": 2}}, two embedding spaces of this database (guarded
 * by ADMIN_TOKEN like all of /admin). JSON by default; {@code Accept: text/plain} for a report.
 */
@Path("/admin/migration/compare")
public class MigrationAdminResource {

    static final int MAX_QUESTIONS = 1000;
    static final int DEFAULT_K = 5;
    static final int MAX_K = 50;

    private final ComparisonService comparison;
    private final SpaceComparisonService spaces;

    public MigrationAdminResource(ComparisonService comparison, SpaceComparisonService spaces) {
        this.comparison = comparison;
        this.spaces = spaces;
    }

    /**
     * Body: {@code {"questions": [{"question", "expectedUrl"}], "k": 5}}, or the bare array of questions; with
     * {@code "spaces": {"baseline": <id>, "candidate": <id>}} the two spaces are compared, not the old system.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Uni<Response> compare(JsonNode body, HttpHeaders headers) {
        JsonNode pair = body != null && body.isObject() ? body.get("spaces") : null;
        if (pair == null && !comparison.legacyConfigured()) {
            throw new ProblemException("legacy-disabled", "Not found", 404,
                    "the comparison is disabled: set LEGACY_DATABASE_URL on chat-service to the old database");
        }
        JsonNode list = body != null && body.isObject() ? body.get("questions") : body;
        int k = body != null && body.isObject() && body.hasNonNull("k") ? body.get("k").asInt(-1) : DEFAULT_K;
        List<CompareQuestion> questions = questions(list);
        if (k < 1 || k > MAX_K) {
            throw invalid("k must be between 1 and " + MAX_K);
        }
        boolean text = headers.getAcceptableMediaTypes().stream().findFirst()
                .map(t -> t.isCompatible(MediaType.TEXT_PLAIN_TYPE) && !t.isWildcardType()).orElse(false);
        if (pair != null) {
            FieldErrors errors = new FieldErrors();
            int baseline = spaceId(pair, "baseline", errors);
            int candidate = spaceId(pair, "candidate", errors);
            errors.throwIfAny();
            return spaces.compare(questions, k, baseline, candidate).map(report -> text
                    ? Response.ok(SpaceComparisonText.render(report), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build()
                    : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
        }
        return comparison.compare(questions, k).map(report -> text
                ? Response.ok(ComparisonText.render(report), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build()
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    private static int spaceId(JsonNode pair, String side, FieldErrors errors) {
        JsonNode id = pair.isObject() ? pair.get(side) : null;
        errors.require(id != null && id.canConvertToInt() && id.isIntegralNumber(), "spaces." + side,
                "must be the id of an embedding space");
        return id == null ? 0 : id.asInt();
    }

    static List<CompareQuestion> questions(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw invalid("send a non-empty list of questions: [{\"question\": \"...\", \"expectedUrl\": \"...\"}]");
        }
        if (list.size() > MAX_QUESTIONS) {
            throw invalid("at most " + MAX_QUESTIONS + " questions per request (got " + list.size() + "); split the set");
        }
        List<CompareQuestion> questions = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode q = list.get(i);
            String question = InputText.clean(q.isTextual() ? q.asText() : q.path("question").asText(""));
            if (question.isBlank()) {
                throw invalid("question " + (i + 1) + " has no text");
            }
            String expected = q.path("expectedUrl").isTextual() ? InputText.clean(q.path("expectedUrl").asText()) : null;
            questions.add(new CompareQuestion(question.strip(), expected == null || expected.isBlank() ? null : expected.strip()));
        }
        return questions;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException("invalid-request", "Invalid request", 400, detail);
    }
}
