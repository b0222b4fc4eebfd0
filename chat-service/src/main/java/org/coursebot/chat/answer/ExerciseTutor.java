package org.coursebot.chat.answer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.answer.ChatService.AnswerPiece;
import org.coursebot.chat.answer.ChatService.Turn;
import org.coursebot.chat.exercises.ExerciseRequest;
import org.coursebot.chat.exercises.ExercisesConfig;
import org.coursebot.chat.exercises.SolutionCheck;
import org.coursebot.chat.search.SearchResult;
import org.coursebot.chat.search.SearchService;
import org.coursebot.chat.search.SearchedQuestion;
import org.coursebot.model.SearchHit;

/**
 * The answer to a request for a graded exercise's solution in a course whose policy is {@code guide} (issue 35,
 * docs/exercises.md): the chat model's hints ({@link ExercisePrompt}) when it is there and the budget pays, checked for
 * solution code before the student sees them; else, and when they hold some, the exercise's statement and the
 * sections that teach what it needs ({@link ExerciseGuide}).
 */
@ApplicationScoped
class ExerciseTutor {

    /** How many sections an exercise's statement is searched for, to find those that teach what it needs. */
    private static final int TEACHING_SEARCH_K = 8;
    /** The part of an exercise's statement searched with: its first paragraphs say what it asks. */
    private static final int TEACHING_QUERY_CHARS = 1000;

    private final SearchService search;
    private final LlmAnswerer llm;
    private final AnswerConfig config;
    private final AnswerBudget budget;
    private final ExercisesConfig exercisesConfig;
    private final ExerciseGuide guide;

    ExerciseTutor(SearchService search, LlmAnswerer llm, AnswerConfig config, AnswerBudget budget,
                  ExercisesConfig exercisesConfig) {
        this.search = search;
        this.llm = llm;
        this.config = config;
        this.budget = budget;
        this.exercisesConfig = exercisesConfig;
        this.guide = new ExerciseGuide(new ExtractiveAnswerer(config.extractivePassages(), config.extractiveSentences()),
                config.extractivePassages());
    }

    /**
     * A tutor's answer to a request for an exercise's solution: the chat model's hints when it is there and the
     * budget pays, else (and when the hints hold solution code) the exercise's statement and the sections that teach
     * what it needs. Whole, never streamed piece by piece: the check reads the text before the student does.
     */
    Multi<AnswerPiece> answer(String question, SearchedQuestion searched, List<Turn> history,
            SearchResult result, ExerciseRequest request, Double temperature, String source) {
        return teaching(request, result).onItem().transformToMulti(teaching -> {
            if (!llm.enabled()) {
                return ChatService.pieces(guide.answer(request, teaching, searched.text(), result.degraded(), false));
            }
            List<SearchHit> sources = new ArrayList<>();
            if (request.exercise() != null) {
                sources.add(request.exercise().asHit());
            }
            sources.addAll(teaching);
            List<ChatModelClient.Message> prompt = ExercisePrompt.messages(question, history, sources,
                    config.maxSourceChars());
            if (!budget.limits()) {
                return hints(prompt, sources, searched, result, request, teaching, temperature, null);
            }
            return budget.reserve(source, prompt).onItem().transformToMulti(reservation -> reservation.granted()
                    ? hints(prompt, sources, searched, result, request, teaching, temperature, reservation)
                    : ChatService.pieces(ChatService.downgraded(
                            guide.answer(request, teaching, searched.text(), result.degraded(), false))));
        });
    }

    /**
     * The course sections that teach what the exercise needs, exercises left out: found by searching its statement in
     * its course, then the question's own hits (above the threshold: the closest below it teach nothing); the
     * question's alone when the exercise is not known or that search fails.
     */
    private Uni<List<SearchHit>> teaching(ExerciseRequest request, SearchResult result) {
        List<SearchHit> asked = notExercises(result.hits());
        if (request.exercise() == null) {
            return Uni.createFrom().item(asked);
        }
        String statement = request.exercise().statement();
        String query = statement.length() > TEACHING_QUERY_CHARS ? statement.substring(0, TEACHING_QUERY_CHARS)
                : statement;
        return search.search(query, TEACHING_SEARCH_K, null, request.exercise().source())
                .map(found -> {
                    Map<String, SearchHit> merged = new LinkedHashMap<>();
                    notExercises(found.hits()).forEach(h -> merged.putIfAbsent(h.url() + "|" + h.title(), h));
                    asked.forEach(h -> merged.putIfAbsent(h.url() + "|" + h.title(), h));
                    return List.copyOf(merged.values());
                })
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("the exercise's sections not searched (%s): the question's hits teach", e.getMessage());
                    return asked;
                });
    }

    private static List<SearchHit> notExercises(List<SearchHit> hits) {
        return hits.stream().filter(h -> !"exercise".equals(h.contentType())).toList();
    }

    /**
     * The chat model's hints, whole, then checked ({@link SolutionCheck}): with solution code they are withheld and
     * the extractive guide sent instead; a model that fails gets the extractive guide too.
     */
    private Multi<AnswerPiece> hints(List<ChatModelClient.Message> prompt, List<SearchHit> sources,
            SearchedQuestion searched, SearchResult result, ExerciseRequest request, List<SearchHit> teaching,
            Double temperature, AnswerBudget.Reservation reservation) {
        StringBuilder text = new StringBuilder();
        AtomicBoolean started = new AtomicBoolean();
        return llm.stream(prompt, temperature)
                .invoke(t -> {
                    started.set(true);
                    text.append(t);
                })
                .onTermination().invoke(() -> {
                    if (reservation != null) {
                        budget.settle(reservation, text.toString(), started.get());
                    }
                })
                .collect().asList()
                .onItem().transformToMulti(ignored -> {
                    String written = text.toString();
                    Optional<String> solution = SolutionCheck.solutionIn(written, request.exercise(),
                            exercisesConfig.maxCodeLines());
                    if (solution.isPresent()) {
                        Log.infof("a written answer to an exercise request was withheld: %s", solution.get());
                        return ChatService.pieces(guide.answer(request, teaching, searched.text(),
                                result.degraded(), true).about(ExerciseNote.of(request, true)));
                    }
                    return Multi.createBy().concatenating().streams(
                            Multi.createFrom().iterable(ChatService.words(written)).map(AnswerPiece::text),
                            ChatService.ending(written, sources, result));
                })
                .onFailure().recoverWithMulti(e -> {
                    Log.warnf("chat model unavailable (%s): answering the exercise request extractively",
                            e.getMessage());
                    return ChatService.pieces(guide.answer(request, teaching, searched.text(), result.degraded(),
                            false));
                });
    }
}
