package org.coursebot.chat.v1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A whole answer, as OpenAI's {@code chat.completion}, with two fields OpenAI does not have: {@code citations} (the
 * cited URLs, as some OpenAI-compatible services send them) and {@code coursebot} (what /api/chat says besides the
 * text). Clients that do not know them ignore them.
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                             List<String> citations, CoursebotDetails coursebot) {

    static ChatCompletion of(String id, long created, String model, String content, String finishReason, Usage usage,
                             CoursebotDetails details) {
        return new ChatCompletion(id, "chat.completion", created, model,
                List.of(new Choice(0, new Message("assistant", content), finishReason)), usage, details.urls(), details);
    }

    /** The one answer (n is always 1). */
    public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason) {
    }

    public record Message(String role, String content) {
    }
}
