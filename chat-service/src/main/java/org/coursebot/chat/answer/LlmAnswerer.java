package org.coursebot.chat.answer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.embedding.CircuitBreaker;
import org.coursebot.embedding.EmbeddingConfig;

/**
 * Streams a grounded answer from the OpenAI chat model (quarkus-langchain4j). A call that fails before its
 * first piece of text is retried; one that fails later is not (the client already shows part of it).
 */
@ApplicationScoped
public class LlmAnswerer {

    // A client proxy: quarkus-langchain4j builds the model on first use, so extractive mode never touches it.
    private final StreamingChatModel model;
    private final AnswerConfig config;
    private final boolean enabled;
    // Counts whole calls (retries included): an API that keeps failing is not asked again until it had a rest.
    private final CircuitBreaker circuit;

    public LlmAnswerer(StreamingChatModel model, AnswerConfig config, EmbeddingConfig embedding) {
        this.model = model;
        this.config = config;
        this.circuit = new CircuitBreaker(config.llmCircuitFailureThreshold(), config.llmCircuitOpenDuration());
        this.enabled = switch (config.mode()) {
            case "llm" -> true;
            case "extractive" -> false;
            case "auto" -> embedding.apiKey().filter(k -> !k.isBlank()).isPresent();
            default -> throw new IllegalArgumentException("coursebot.answer.mode must be auto, llm or extractive, not "
                    + config.mode());
        };
    }

    public boolean enabled() {
        return enabled;
    }

    /** The answer's text as it is written; fails at once while the circuit is open. */
    public Multi<String> stream(List<ChatMessage> messages) {
        var refusal = circuit.refusal();
        if (refusal.isPresent()) {
            return Multi.createFrom().failure(new IllegalStateException(
                    "the chat model failed repeatedly; not asked again for " + refusal.get().toSeconds() + " s"));
        }
        AtomicBoolean started = new AtomicBoolean();
        return Multi.createFrom().<String>emitter(emitter -> model.chat(messages, new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String text) {
                        started.set(true);
                        emitter.emit(text);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        emitter.complete();
                    }

                    @Override
                    public void onError(Throwable error) {
                        emitter.fail(error);
                    }
                }))
                .ifNoItem().after(config.llmTimeout()).failWith(() -> new TimeoutException(
                        "no text from the chat model in " + config.llmTimeout().toSeconds() + " s"))
                .onFailure(e -> !started.get()).retry()
                .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(4)).atMost(config.llmRetries())
                .onItem().invoke(text -> circuit.onSuccess())
                .onFailure().invoke(e -> circuit.onFailure());
    }
}
