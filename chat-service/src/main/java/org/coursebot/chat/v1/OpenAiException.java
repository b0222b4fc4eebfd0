package org.coursebot.chat.v1;

/** Thrown where a /v1 request cannot be served; the route answers with its {@link OpenAiError}. */
class OpenAiException extends RuntimeException {

    private final transient OpenAiError error;

    OpenAiException(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    OpenAiError error() {
        return error;
    }
}
