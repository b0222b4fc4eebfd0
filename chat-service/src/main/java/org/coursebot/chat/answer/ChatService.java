package org.coursebot.chat.answer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.coursebot.chat.exercises.ExerciseRequest;
import org.coursebot.chat.exercises.ExerciseRequests;
import org.coursebot.chat.search.SearchResult;
import org.coursebot.chat.search.SearchedQuestion;
import org.coursebot.chat.search.SearchService;
import org.coursebot.model.Citation;
import org.coursebot.model.SearchHit;

/**
 * Question → what it means in its conversation (QuestionCondenser) → search → answer, with its citations: written by
 * the chat model when one is configured, else extractive; extractive too when the model fails before saying anything,
 * and when the course's daily budget cannot pay for it ({@link AnswerBudget}). Nothing similar enough → "not covered".
 * A request for the solution of a graded exercise, in a course whose policy is {@code guide}, gets a tutor's answer
 * instead ({@link ExerciseTutor}): hints from the chat model, checked for solution code before the student sees them, or
 * the exercise's statement and the sections that teach what it needs ({@link ExerciseGuide}).
 */
@ApplicationScoped
public class ChatService {

    private final SearchService search;
    private final LlmAnswerer llm;
    private final AnswerConfig config;
    private final ExtractiveAnswerer extractive;
    private final Event<AnsweredQuestion> answered;
    private final QuestionCondenser condenser;
    private final AnswerBudget budget;
    private final ExerciseRequests exerciseRequests;
    private final ExerciseTutor tutor;

    public ChatService(SearchService search, QuestionCondenser condenser, LlmAnswerer llm, AnswerConfig config,
            AnswerBudget budget, ExerciseRequests exerciseRequests, ExerciseTutor tutor,
            Event<AnsweredQuestion> answered) {
        this.search = search;
        this.exerciseRequests = exerciseRequests;
        this.tutor = tutor;
        this.budget = budget;
        this.condenser = condenser;
        this.answered = answered;
        this.llm = llm;
        this.config = config;
        this.extractive = new ExtractiveAnswerer(config.extractivePassages(), config.extractiveSentences());
    }

    /**
     * The whole answer at once: the stream, collected. Nothing reaches the client before the end, so a chat model
     * that fails even mid-answer is replaced by the extractive answer.
     */
    public Uni<Answer> answer(Question question) {
        return answer(question, false).collect().last().map(AnswerPiece::end);
    }

    /**
     * Text pieces as they are written; the last piece carries the answer with its citations and flags. A chat
     * model that fails after its first piece ends the stream with that failure (the client shows part of it).
     */
    public Multi<AnswerPiece> stream(Question question) {
        return answer(question, true);
    }

    /**
     * Every finished answer gets an id and is announced ({@link AnsweredQuestion}); the question log, which listens,
     * never holds it up.
     */
    private Multi<AnswerPiece> answer(Question q, boolean streamed) {
        long start = System.nanoTime();
        Instant asked = Instant.now();
        String answerId = UUID.randomUUID().toString();
        String question = q.text();
        List<Turn> turns = q.history();
        return condenser.inContext(question, turns)
                .chain(searched -> search.searchInConversation(question, searched, Turn.questions(turns), q.k(),
                        q.threshold(), q.source()))
                .chain(result -> exerciseRequests.recognise(question,
                                result.searched().followUp() ? result.searched().text() : null, q.source(),
                                result.hits().isEmpty() ? null : result.hits().get(0))
                        .map(request -> new Searched(result, request)))
                .toMulti().onItem().transformToMultiAndConcatenate(found -> {
                    SearchResult result = found.result();
                    Optional<ExerciseRequest> request = found.exerciseRequest();
                    SearchedQuestion searched = result.searched();
                    Multi<AnswerPiece> pieces = request.filter(ExerciseRequest::guided).isPresent()
                            ? tutor.answer(question, searched, turns, result, request.get(), q.temperature(), q.source())
                            : answer(question, searched, turns, result, streamed, q.temperature(), q.source());
                    return pieces.map(piece -> {
                                    if (piece.end() == null) {
                                        return piece;
                                    }
                                    ExerciseNote note = piece.end().exercise() != null ? piece.end().exercise()
                                            : request.map(r -> ExerciseNote.of(r, false)).orElse(null);
                                    Answer answer = piece.end().as(answerId, result.embeddingSpace(), searched, note);
                                    int millis = (int) ((System.nanoTime() - start) / 1_000_000);
                                    log(millis, question, answer);
                                    answered.fire(new AnsweredQuestion(asked, question, q.source(), q.asker(),
                                            result, answer, millis));
                                    return AnswerPiece.end(answer);
                                });
                });
    }

    /** {@code searched}: the question in its conversation (SearchService.inContext), whose words the extract matches. */
    private Multi<AnswerPiece> answer(String question, SearchedQuestion searched, List<Turn> history,
            SearchResult result, boolean streamed, Double temperature, String source) {
        if (!result.covered()) {
            return pieces(ExtractiveAnswerer.notCovered(result.closest(), llm.enabled() ? AnswerMode.LLM : AnswerMode.EXTRACTIVE,
                    result.degraded()));
        }
        if (!llm.enabled()) {
            return pieces(extractive(searched.text(), result));
        }
        List<ChatModelClient.Message> prompt = GroundedPrompt.messages(question, history, result.hits(),
                config.maxSourceChars());
        if (!budget.limits()) {
            return written(prompt, searched, result, streamed, temperature, null);
        }
        return budget.reserve(source, prompt).onItem().transformToMulti(reservation -> reservation.granted()
                ? written(prompt, searched, result, streamed, temperature, reservation)
                : pieces(downgraded(extractive(searched.text(), result))));
    }

    private Answer extractive(String question, SearchResult result) {
        return extractive.answer(question, result.hits(), result.degraded());
    }

    /** The budget's extractive answer, which says why it is one. */
    static Answer downgraded(Answer extractive) {
        return new Answer(AnswerBudget.downgradedText(extractive.answer()), extractive.citations(), extractive.covered(),
                extractive.mode(), extractive.degraded());
    }

    /** @param reservation what the budget reserved for this answer, settled when the model is done; null: no budget */
    private Multi<AnswerPiece> written(List<ChatModelClient.Message> prompt, SearchedQuestion searched,
            SearchResult result, boolean streamed, Double temperature, AnswerBudget.Reservation reservation) {
        List<SearchHit> sources = result.hits();
        StringBuilder text = new StringBuilder();
        AtomicBoolean started = new AtomicBoolean();
        Multi<AnswerPiece> tokens = llm.stream(prompt, temperature)
                .invoke(t -> {
                    started.set(true);
                    text.append(t);
                })
                .onTermination().invoke(() -> {
                    if (reservation != null) {
                        budget.settle(reservation, text.toString(), started.get());
                    }
                })
                .map(AnswerPiece::text);
        Multi<AnswerPiece> end = Multi.createFrom().deferred(() -> ending(text.toString(), sources, result));
        return Multi.createBy().concatenating().streams(tokens, end)
                .onFailure(e -> !streamed || !started.get()).recoverWithMulti(e -> {
                    Log.warnf("chat model unavailable (%s): answering extractively", e.getMessage());
                    return pieces(extractive(searched.text(), result));
                });
    }

    /**
     * The end of a written answer: its citations, only those the text uses (keeping the numbers it uses); or,
     * when the model said the sources do not answer the question, the closest sections, as an extractive
     * "not covered" answer lists them.
     */
    static Multi<AnswerPiece> ending(String text, List<SearchHit> sources, SearchResult result) {
        Set<Integer> used = GroundedPrompt.cited(text, sources.size());
        if (GroundedPrompt.notCovered(text, used)) {
            Answer answer = ExtractiveAnswerer.notCovered(text, result.closest(), AnswerMode.LLM, result.degraded());
            String list = answer.answer().substring(text.length());
            return list.isEmpty() ? Multi.createFrom().item(AnswerPiece.end(answer))
                    : Multi.createFrom().items(AnswerPiece.text(list), AnswerPiece.end(answer));
        }
        List<Citation> citations = used.stream().sorted().map(i -> Citation.of(i, sources.get(i - 1))).toList();
        return Multi.createFrom().item(AnswerPiece.end(new Answer(text, citations, true, AnswerMode.LLM, result.degraded())));
    }

    static Multi<AnswerPiece> pieces(Answer answer) {
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().iterable(words(answer.answer())).map(AnswerPiece::text),
                Multi.createFrom().item(AnswerPiece.end(answer)));
    }

    /** Text pieces of a word each, whitespace kept, so a client shows the answer as it comes. */
    static List<String> words(String text) {
        return List.of(text.split("(?<=\\s)"));
    }

    private static void log(int millis, String question, Answer answer) {
        Log.infof("chat: %d ms, %d citations, mode %s, covered %s%s%s, question %d chars",
                millis, answer.citations().size(), answer.mode(), answer.covered(),
                answer.degraded() ? ", degraded" : "",
                answer.exercise() == null ? "" : ", exercise request (" + answer.exercise().policy()
                        + (answer.exercise().withheld() ? ", written answer withheld" : "") + ")",
                question.length());
    }

    /** What search found, and whether the question asks for an exercise's solution. */
    private record Searched(SearchResult result, Optional<ExerciseRequest> exerciseRequest) {
    }

    /** One earlier turn of the conversation. */
    public record Turn(String role, String content) {

        /** The student's questions among {@code turns}, in order. */
        static List<String> questions(List<Turn> turns) {
            return turns.stream().filter(t -> "user".equals(t.role())).map(Turn::content).toList();
        }
    }

    /** A piece of a streamed answer: text, or the end with the whole answer's citations and flags. */
    public record AnswerPiece(String text, Answer end) {
        static AnswerPiece text(String text) {
            return new AnswerPiece(text, null);
        }

        static AnswerPiece end(Answer answer) {
            return new AnswerPiece(null, answer);
        }
    }
}
