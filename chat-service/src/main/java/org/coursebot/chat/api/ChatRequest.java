package org.coursebot.chat.api;

import java.util.List;

import org.coursebot.common.FieldErrors;
import org.coursebot.common.InputText;

/**
 * {@code POST /api/chat}: only {@code question} is required; {@code source} limits the answer to one course of the
 * deployment (every course when left out).
 */
public record ChatRequest(String question, List<Turn> history, Integer k, Double threshold, String source) {

    static final int MAX_QUESTION = 2000;
    static final int MAX_TURNS = 20;
    static final int MAX_TURN = 4000;
    static final int DEFAULT_K = org.coursebot.chat.answer.Question.DEFAULT_K;
    static final int MAX_K = 20;
    static final int MAX_SOURCE = 100;

    /** k, or its default when the request leaves it out. */
    int kOrDefault() {
        return k == null ? DEFAULT_K : k;
    }

    /** One earlier turn. */
    public record Turn(String role, String content) {
    }

    private ChatRequest cleaned() {
        List<Turn> turns = history == null ? null : history.stream()
                .map(t -> t == null ? null : new Turn(t.role(), InputText.clean(t.content()))).toList();
        return new ChatRequest(InputText.clean(question), turns, k, threshold, InputText.clean(source));
    }

    /**
     * This request with its text cleaned ({@link InputText}), or a 400 problem naming every field that is out of
     * bounds (a missing body is one too).
     */
    static ChatRequest validated(ChatRequest body) {
        FieldErrors errors = new FieldErrors();
        if (body == null) {
            errors.require(false, "body", "a JSON body is required").throwIfAny();
        }
        ChatRequest request = body.cleaned();
        String question = request.question();
        errors.require(question != null && !question.isBlank(), "question", "must not be empty")
                .require(question == null || question.length() <= MAX_QUESTION, "question",
                        "must be at most " + MAX_QUESTION + " characters")
                .require(request.history() == null || request.history().size() <= MAX_TURNS, "history",
                        "must have at most " + MAX_TURNS + " turns")
                .within(request.k(), 1, MAX_K, "k")
                .require(request.source() == null || request.source().length() <= MAX_SOURCE, "source",
                        "must be at most " + MAX_SOURCE + " characters")
                .fraction(request.threshold(), "threshold");
        if (request.history() != null) {
            for (Turn turn : request.history()) {
                errors.require(turn != null, "history", "turns must not be null");
                if (turn != null) {
                    errors.require("user".equals(turn.role()) || "assistant".equals(turn.role()), "role",
                                    "must be user or assistant")
                            .require(turn.content() != null, "content", "must not be null")
                            .require(turn.content() == null || turn.content().length() <= MAX_TURN, "content",
                                    "must be at most " + MAX_TURN + " characters");
                }
            }
        }
        errors.throwIfAny();
        return request;
    }
}
