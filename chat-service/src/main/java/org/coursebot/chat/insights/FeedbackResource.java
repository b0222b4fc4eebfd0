package org.coursebot.chat.insights;

import java.util.Map;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.coursebot.common.ProblemException;

/**
 * Whether an answer helped: {@code POST /api/feedback}. Rate-limited with the questions (every /api request counts,
 * RateLimitFilter). Feedback on one answer may be sent again: the last counts.
 */
@Path("/api/feedback")
public class FeedbackResource {

    private final QuestionLog log;
    private final InsightsService insights;

    public FeedbackResource(QuestionLog log, InsightsService insights) {
        this.log = log;
        this.insights = insights;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> give(FeedbackRequest body) {
        FeedbackRequest request = FeedbackRequest.validated(body);
        if (!log.recording()) {
            throw notRecording();
        }
        return insights.answered(request.answer()).map(found -> {
            if (!found) {
                throw new ProblemException("unknown-answer", "Not found", 404,
                        "no answer has this answerId (or it is older than the log's retention)");
            }
            return switch (log.feedback(request.answer(), request.helpful(), request.comment())) {
                case QUEUED -> Response.accepted(Map.of("answerId", request.answerId(), "helpful", request.helpful()))
                        .build();
                case QUEUE_FULL -> throw new ProblemException("insights-busy", "Service unavailable", 503,
                        "feedback cannot be recorded right now; try again in a minute");
                case NOT_RECORDING -> throw notRecording();
            };
        });
    }

    private static ProblemException notRecording() {
        return new ProblemException("insights-disabled", "Not found", 404,
                "this chat-service does not record feedback (docs/insights.md)");
    }
}
