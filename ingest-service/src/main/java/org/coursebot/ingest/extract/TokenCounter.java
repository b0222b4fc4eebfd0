package org.coursebot.ingest.extract;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts cl100k_base tokens (OpenAI's embedding tokenizer). Thread-safe: the encoding is immutable. */
final class TokenCounter {

    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private TokenCounter() {
    }

    /** Tokens of {@code text}, reading special-token markers such as {@code <|endoftext|>} as plain text. */
    static int count(String text) {
        return text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
    }
}
