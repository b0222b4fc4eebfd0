package org.coursebot.chat.v1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One event of a streamed answer, as OpenAI's {@code chat.completion.chunk}: the first carries the role, the next
 * ones the text, the last one {@code finish_reason} with {@code citations} and {@code coursebot}; with
 * {@code stream_options.include_usage} one more follows, with no choices and the usage.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  Usage usage, List<String> citations, CoursebotDetails coursebot) {

    static ChatCompletionChunk delta(String id, long created, String model, Delta delta, String finishReason,
                                     CoursebotDetails details) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new Choice(0, delta, finishReason)), null, details == null ? null : details.urls(), details);
    }

    static ChatCompletionChunk usage(String id, long created, String model, Usage usage) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(), usage, null, null);
    }

    /** finish_reason is sent as null until the last chunk, as OpenAI does. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason) {
    }

    /** What a chunk adds: the role (first chunk), text, or nothing (the last chunk: {}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }
}
