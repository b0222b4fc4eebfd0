package org.coursebot.chat.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.coursebot.chat.answer.Answer;
import org.coursebot.chat.answer.Asker;
import org.coursebot.chat.answer.ChatService;
import org.coursebot.chat.answer.Question;
import org.coursebot.chat.search.Coverage;
import org.coursebot.chat.search.CourseSources;
import org.coursebot.chat.search.SearchService;
import org.coursebot.chat.search.SearchedQuestion;
import org.coursebot.chat.search.SearchedSpace;
import org.coursebot.common.FieldErrors;
import org.coursebot.common.InputText;
import org.coursebot.common.Problem;
import org.coursebot.model.SearchHit;

/** What students and the course site talk to. */
@Path("/api")
public class ChatResource {

    private final ChatService chat;
    private final SearchService search;
    private final ObjectMapper json;

    private final CourseSources sources;
    private final Counter abandoned;

    public ChatResource(ChatService chat, SearchService search, ObjectMapper json, CourseSources sources,
            MeterRegistry registry) {
        this.sources = sources;
        this.chat = chat;
        this.search = search;
        this.json = json;
        this.abandoned = Counter.builder("coursebot.chat.stream.abandoned")
                .description("streamed answers whose client went away before their end (a closed tab)")
                .register(registry);
    }

    @POST
    @Path("/chat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Answer> chat(ChatRequest body, HttpServerRequest http) {
        ChatRequest request = ChatRequest.validated(body);
        Asker asker = Asker.api(RateLimitFilter.client(http));
        return sources.require(request.source(), "source").chain(source ->
                chat.answer(question(request, source, asker)));
    }

    /** The same answer as server-sent events: token..., citations, done (with the answerId); or error. */
    @POST
    @Path("/chat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> chatStream(ChatRequest body, @Context Sse sse, HttpServerRequest http) {
        ChatRequest request = ChatRequest.validated(body);
        Asker asker = Asker.api(RateLimitFilter.client(http));
        // Uni.onItem().transformToMulti: the source is null for every course, and Uni.toMulti() would drop a null item.
        return sources.require(request.source(), "source").onItem().transformToMulti(source ->
                        chat.stream(question(request, source, asker)))
                .onItem().transformToMultiAndConcatenate(piece -> piece.end() == null
                        ? Multi.createFrom().item(event(sse, "token", piece.text()))
                        : Multi.createFrom().items(event(sse, "citations", piece.end().citations()),
                                event(sse, "done", done(piece.end()))))
                .onFailure().recoverWithItem(e -> event(sse, "error", Problem.of("stream-failed", "Answer failed", 500,
                        "the answer could not be completed; try again", Map.of())))
                // RESTEasy cancels the stream only when the client is gone: its connection closed, or a write to it
                // failed (ClientLeftSseLogFilter keeps the latter's log line quiet).
                .onCancellation().invoke(abandoned::increment);
    }

    /** The {@code done} event: the answer's flags, as the JSON answer has them, without its text and citations. */
    private static Map<String, Object> done(Answer answer) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("covered", answer.covered());
        done.put("mode", answer.mode());
        done.put("degraded", answer.degraded());
        done.put("embeddingSpace", answer.embeddingSpace());
        done.put("answerId", answer.answerId());
        done.put("searchedFor", answer.searchedFor());
        done.put("followUp", answer.followUp());
        done.put("exercise", answer.exercise());
        return done;
    }

    @GET
    @Path("/search")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SearchResponse> search(
            @QueryParam("q") String query, @QueryParam("k") String kParam, @QueryParam("threshold") String thresholdParam,
            @QueryParam("source") String sourceParam) {
        String q = InputText.clean(query);
        FieldErrors errors = new FieldErrors()
                .require(q != null && !q.isBlank(), "q", "must not be empty")
                .require(q == null || q.length() <= ChatRequest.MAX_QUESTION, "q",
                        "must be at most " + ChatRequest.MAX_QUESTION + " characters");
        int k = errors.intParam(kParam, ChatRequest.DEFAULT_K, 1, ChatRequest.MAX_K, "k");
        Double threshold = errors.fractionParam(thresholdParam, "threshold");
        String wanted = InputText.clean(sourceParam);
        errors.require(wanted == null || wanted.length() <= ChatRequest.MAX_SOURCE, "source",
                "must be at most " + ChatRequest.MAX_SOURCE + " characters");
        errors.throwIfAny();
        return sources.require(wanted, "source").chain(source -> search.search(q, k, threshold, source))
                .map(r -> new SearchResponse(r.hits(), r.coverage(), r.degraded(), r.embeddingSpace(), r.searched()));
    }

    private static Question question(ChatRequest request, String source, Asker asker) {
        return Question.of(request.question(), turns(request), asker).withK(request.kOrDefault())
                .withThreshold(request.threshold()).withSource(source);
    }

    private static List<ChatService.Turn> turns(ChatRequest request) {
        return request.history() == null ? List.of()
                : request.history().stream().map(t -> new ChatService.Turn(t.role(), t.content())).toList();
    }

    private OutboundSseEvent event(Sse sse, String name, Object data) {
        try {
            return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(json.writeValueAsString(data)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code GET /api/search}: the hits above the threshold, whether the course covers the question and why, and the
     * embedding space searched, and the question as it was searched (without its personal data; its asking part and
     * names, which the coverage decision read).
     */
    public record SearchResponse(List<SearchHit> hits, Coverage coverage, boolean degraded,
                                 SearchedSpace embeddingSpace, SearchedQuestion searched) {
    }
}
