package org.coursebot.chat.answer;

import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.search.SearchResult;
import org.coursebot.chat.search.SearchService;

/** Question → search → answer (extractive offline; an LLM when one is configured), with its citations. */
@ApplicationScoped
public class ChatService {

    private final SearchService search;
    private final ExtractiveAnswerer extractive;

    public ChatService(SearchService search, AnswerConfig config) {
        this.search = search;
        this.extractive = new ExtractiveAnswerer(config.extractivePassages(), config.extractiveSentences());
    }

    public Uni<Answer> answer(String question, List<Turn> history, int k, Double threshold) {
        long start = System.nanoTime();
        return search.search(question, k, threshold).map(result -> write(question, result))
                .invoke(answer -> log(start, question, answer));
    }

    /** The same answer as a stream of text pieces; the final item carries the citations. */
    public Multi<AnswerPiece> stream(String question, List<Turn> history, int k, Double threshold) {
        return answer(question, history, k, threshold).toMulti().onItem().transformToMultiAndConcatenate(answer ->
                Multi.createBy().concatenating().streams(
                        Multi.createFrom().iterable(words(answer.answer())).map(AnswerPiece::text),
                        Multi.createFrom().item(AnswerPiece.end(answer))));
    }

    private Answer write(String question, SearchResult result) {
        return result.covered()
                ? extractive.answer(question, result.hits(), result.degraded())
                : ExtractiveAnswerer.notCovered(result.closest(), "extractive", result.degraded());
    }

    /** Text pieces of a few characters each, whitespace kept, so a client shows the answer as it comes. */
    static List<String> words(String text) {
        return List.of(text.split("(?<=\\s)"));
    }

    private static void log(long start, String question, Answer answer) {
        Log.infof("chat: %d ms, %d citations, mode %s, covered %s%s, question %d chars",
                (System.nanoTime() - start) / 1_000_000, answer.citations().size(), answer.mode(), answer.covered(),
                answer.degraded() ? ", degraded" : "", question.length());
    }

    /** One earlier turn of the conversation. */
    public record Turn(String role, String content) {
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
