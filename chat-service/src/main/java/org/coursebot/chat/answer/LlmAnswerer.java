package org.coursebot.chat.answer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.CircuitBreaker;

/**
 * Streams a grounded answer from the OpenAI chat model ({@link ChatModelClient}). A call that fails before its
 * first piece of text is retried; one that fails later is not (the client already shows part of it).
 */
@ApplicationScoped
public class LlmAnswerer {

    // Opens its HTTP client on first use, so extractive mode never touches it.
    private final ChatModelClient model;
    private final AnswerConfig config;
    private final boolean enabled;
    // Counts whole calls (retries included): an API that keeps failing is not asked again until it had a rest.
    private final CircuitBreaker circuit;

    public LlmAnswerer(ChatModelClient model, AnswerConfig config) {
        this.model = model;
        this.config = config;
        this.circuit = new CircuitBreaker(config.llmCircuitFailureThreshold(), config.llmCircuitOpenDuration());
        this.enabled = switch (config.mode()) {
            case LLM -> true;
            case EXTRACTIVE -> false;
            case AUTO -> config.apiKey().filter(k -> !k.isBlank()).isPresent();
        };
    }

    public boolean enabled() {
        return enabled;
    }

    /** The answer's text as it is written; fails at once while the circuit is open. */
    public Multi<String> stream(List<ChatModelClient.Message> messages) {
        return stream(messages, null);
    }

    /** As {@link #stream(List)}, at a client's sampling temperature (null: coursebot.answer.temperature). */
    public Multi<String> stream(List<ChatModelClient.Message> messages, Double temperature) {
        var refusal = circuit.refusal();
        if (refusal.isPresent()) {
            return Multi.createFrom().failure(new IllegalStateException(
                    "the chat model failed repeatedly; not asked again for " + refusal.get().toSeconds() + " s"));
        }
        AtomicBoolean started = new AtomicBoolean();
        Multi<String> call = model.stream(messages, temperature).invoke(text -> started.set(true))
                .ifNoItem().after(config.llmTimeout()).failWith(() -> new TimeoutException(
                        "no text from the chat model in " + config.llmTimeout().toSeconds() + " s"));
        if (config.llmRetries() > 0) { // Mutiny refuses atMost(0)
            call = call.onFailure(e -> !started.get()).retry()
                    .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(4)).atMost(config.llmRetries());
        }
        // A client that leaves mid-answer cancels the call: if it was the half-open trial, free it for the next.
        return call.onItem().invoke(text -> circuit.onSuccess())
                .onFailure().invoke(e -> circuit.onFailure())
                .onCancellation().invoke(circuit::onAbandoned);
    }
}
