package org.coursebot.chat.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Tokens in and out, counted with cl100k_base as everywhere in Coursebot: the prompt is every message's content,
 * the completion the content returned (for an extractive answer, the text taken from the course and its sources).
 */
public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                    @JsonProperty("completion_tokens") int completionTokens,
                    @JsonProperty("total_tokens") int totalTokens) {

    static Usage of(int promptTokens, int completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
    }
}
