package org.coursebot.chat.v1;

import org.coursebot.chat.answer.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.answer.Answer;
import org.coursebot.chat.answer.Asker;
import org.coursebot.chat.answer.ChatService;
import org.coursebot.chat.answer.Question;
import org.coursebot.chat.v1.ChatCompletionChunk.Delta;
import org.coursebot.chat.v1.CompletionRequest.Completion;

/**
 * Chat completions from {@link ChatService}: the same search and answer as /api/chat, in OpenAI's shapes. A
 * client's temperature reaches the chat model of a written answer; an extractive answer has no sampling to apply
 * it to.
 */
@ApplicationScoped
public class CompletionService {

    private final ChatService chat;
    private final TokenUsage tokens;

    public CompletionService(ChatService chat, TokenUsage tokens) {
        this.chat = chat;
        this.tokens = tokens;
    }

    /** The whole answer; the prompt's tokens are counted on a worker thread meanwhile. */
    Uni<ChatCompletion> complete(Completion request, Optional<String> source, Asker asker) {
        String id = newId();
        long created = Instant.now().getEpochSecond();
        Uni<Answer> answer = chat.answer(question(request, source, asker));
        return Uni.combine().all().unis(answer, tokens.counter(), tokens.count(request.texts())).asTuple().map(all -> {
            ContentBudget content = new ContentBudget(all.getItem2(), request.maxTokens());
            content.admit(AnswerContent.of(all.getItem1()));
            Log.debugf("/v1 completion %s: %s, %s", id, request.model(), content.finishReason());
            return ChatCompletion.of(id, created, request.model(), content.text(), content.finishReason(),
                    Usage.of(all.getItem3(), content.tokens()), CoursebotDetails.of(all.getItem1()));
        });
    }

    /**
     * The answer as chunks, as it is written. Nothing is emitted before the first piece of text, so that a failure
     * of the search still gets its own status rather than an error inside a stream that has begun.
     */
    Multi<ChatCompletionChunk> stream(Completion request, Optional<String> source, Asker asker) {
        String id = newId();
        long created = Instant.now().getEpochSecond();
        return tokens.counter().onItem().transformToMulti(counter -> {
            Chunks chunks = new Chunks(id, created, request, new ContentBudget(counter, request.maxTokens()));
            return chat.stream(question(request, source, asker))
                    .onItem().transformToMultiAndConcatenate(piece -> piece.end() == null
                            ? Multi.createFrom().iterable(chunks.text(piece.text()))
                            : chunks.end(piece.end()));
        });
    }

    /** A /v1 question: its messages' last user turn after the others, at /api/chat's default k and threshold. */
    private static Question question(Completion request, Optional<String> source, Asker asker) {
        return Question.of(request.question(), request.history(), asker).withSource(source.orElse(null))
                .withTemperature(request.temperature());
    }

    private static String newId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The chunks of one stream, in order: the role with the first text, then text, then the end. */
    private final class Chunks {
        private final String id;
        private final long created;
        private final Completion request;
        private final ContentBudget content;
        private boolean started;

        Chunks(String id, long created, Completion request, ContentBudget content) {
            this.id = id;
            this.created = created;
            this.request = request;
            this.content = content;
        }

        List<ChatCompletionChunk> text(String piece) {
            List<ChatCompletionChunk> out = new ArrayList<>(2);
            if (!started) {
                started = true;
                out.add(chunk(new Delta("assistant", ""), null, null));
            }
            String admitted = content.admit(piece);
            if (!admitted.isEmpty()) {
                out.add(chunk(new Delta(null, admitted), null, null));
            }
            return out;
        }

        /** The sources, the finishing chunk with the citations and, when asked for, the usage. */
        Multi<ChatCompletionChunk> end(Answer answer) {
            List<ChatCompletionChunk> out = new ArrayList<>(text(AnswerContent.sources(answer.citations())));
            out.add(chunk(new Delta(null, null), content.finishReason(), CoursebotDetails.of(answer)));
            Multi<ChatCompletionChunk> last = Multi.createFrom().iterable(out);
            if (!request.includeUsage()) {
                return last;
            }
            Uni<ChatCompletionChunk> usage = tokens.count(request.texts())
                    .map(prompt -> ChatCompletionChunk.usage(id, created, request.model(),
                            Usage.of(prompt, content.tokens())));
            return Multi.createBy().concatenating().streams(last, usage.toMulti());
        }

        private ChatCompletionChunk chunk(Delta delta, String finishReason, CoursebotDetails details) {
            return ChatCompletionChunk.delta(id, created, request.model(), delta, finishReason, details);
        }
    }
}
