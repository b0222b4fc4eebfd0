package org.coursebot.chat.answer;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.answer.ChatModelClient.ModelCall;
import org.coursebot.chat.search.SearchService;
import org.coursebot.chat.search.SearchedQuestion;
import org.coursebot.embedding.CircuitBreaker;

/**
 * What a question means in its conversation (issue 29). Without a chat model, or for a question that stands alone,
 * it is {@link SearchService#inContext}: the follow-up joined with the earlier questions it leans on. With one, a
 * follow-up is rewritten by one short call ({@link CondensePrompt}, {@code coursebot.answer.condense.*}) into a
 * question that stands alone, which is searched instead; a call that fails, takes longer than its timeout or answers
 * with something that is not a question leaves the follow-up to the joined search, so a student never waits on it
 * for more than the timeout.
 */
@ApplicationScoped
public class QuestionCondenser {

    private final SearchService search;
    private final ChatModelClient model;
    private final AnswerConfig.Condense config;
    private final boolean enabled;
    // A model that keeps failing costs every follow-up its timeout: after a few, it is not asked for a while.
    private final CircuitBreaker circuit;

    public QuestionCondenser(SearchService search, ChatModelClient model, LlmAnswerer llm, AnswerConfig config) {
        this.search = search;
        this.model = model;
        this.config = config.condense();
        this.enabled = llm.enabled() && this.config.enabled();
        this.circuit = new CircuitBreaker(config.llmCircuitFailureThreshold(), config.llmCircuitOpenDuration());
    }

    /**
     * What to search for {@code question} after {@code history} (the conversation's earlier turns, oldest first).
     */
    public Uni<SearchedQuestion> inContext(String question, List<ChatService.Turn> history) {
        SearchedQuestion joined = search.inContext(question, ChatService.Turn.questions(history));
        if (!enabled || !joined.followUp() || circuit.refusal().isPresent()) {
            return Uni.createFrom().item(joined);
        }
        return model.stream(CondensePrompt.messages(question, history, config.historyTurns()),
                        new ModelCall(config.model(), 0, config.maxTokens()))
                .collect().with(Collectors.joining())
                // Cancelling on timeout resets the request (ChatModelClient): the model stops writing, and billing.
                .ifNoItem().after(config.timeout()).failWith(() -> new TimeoutException(
                        "no standalone question in " + config.timeout().toMillis() + " ms"))
                .invoke(reply -> circuit.onSuccess())
                .onCancellation().invoke(circuit::onAbandoned)
                .map(reply -> {
                    String standalone = CondensePrompt.standalone(reply);
                    if (standalone == null) {
                        Log.warnf("condense call: the model's reply (%d chars) is not a question; searching the"
                                + " follow-up with its earlier questions", reply.length());
                        return joined;
                    }
                    return SearchedQuestion.condensed(standalone);
                })
                .onFailure().recoverWithItem(e -> {
                    circuit.onFailure();
                    Log.warnf("condense call failed (%s): searching the follow-up with its earlier questions",
                            e.getMessage());
                    return joined;
                });
    }
}
