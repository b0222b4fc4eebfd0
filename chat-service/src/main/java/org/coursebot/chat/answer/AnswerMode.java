package org.coursebot.chat.answer;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who wrote an answer: the chat model from the sections found, or the sections' own sentences quoted. */
public enum AnswerMode {
    LLM, EXTRACTIVE;

    /** As the API and the question log spell it: {@code llm}, {@code extractive}. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return wire();
    }
}
