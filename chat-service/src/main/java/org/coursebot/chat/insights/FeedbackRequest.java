package org.coursebot.chat.insights;

import java.util.UUID;

import org.coursebot.common.FieldErrors;
import org.coursebot.common.InputText;

/** {@code POST /api/feedback}: whether an answer helped, and optionally why. */
public record FeedbackRequest(String answerId, Boolean helpful, String comment) {

    static final int MAX_COMMENT = 500;

    /** The answer's id, once {@link #validated} has checked it. */
    UUID answer() {
        return UUID.fromString(answerId);
    }

    /** This request with its comment cleaned ({@link InputText}), or a 400 problem naming every bad field. */
    static FeedbackRequest validated(FeedbackRequest body) {
        FieldErrors errors = new FieldErrors();
        if (body == null) {
            errors.require(false, "body", "a JSON body is required").throwIfAny();
        }
        String comment = InputText.clean(body.comment());
        errors.require(body.answerId() != null && !body.answerId().isBlank(), "answerId", "must not be empty")
                .require(body.answerId() == null || isUuid(body.answerId()), "answerId",
                        "must be the answerId of an answer")
                .require(body.helpful() != null, "helpful", "must be true or false")
                .require(comment == null || comment.length() <= MAX_COMMENT, "comment",
                        "must be at most " + MAX_COMMENT + " characters")
                .throwIfAny();
        return new FeedbackRequest(body.answerId().trim().toLowerCase(java.util.Locale.ROOT), body.helpful(),
                comment == null || comment.isBlank() ? null : comment);
    }

    private static boolean isUuid(String value) {
        String v = value.trim();
        if (v.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
