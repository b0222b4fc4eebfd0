package org.coursebot.embedding;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * Counts tokens as OpenAI's embedding models do (cl100k_base, shared by text-embedding-3-* and ada-002).
 * The local model has its own WordPiece tokenizer; cl100k counts serve there only for accounting.
 */
public final class TokenCounter {

    /** Loaded on first count: the vocabulary takes ~18 MB of heap, which chat-service never needs. */
    private static final class Cl100k {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    public int count(String text) {
        return Cl100k.ENCODING.countTokensOrdinary(text);
    }

    /** The longest prefix of {@code text} that has at most {@code maxTokens} tokens. */
    public String truncate(String text, int maxTokens) {
        IntArrayList tokens = Cl100k.ENCODING.encodeOrdinary(text);
        if (tokens.size() <= maxTokens) {
            return text;
        }
        IntArrayList kept = new IntArrayList(maxTokens);
        for (int i = 0; i < maxTokens; i++) {
            kept.add(tokens.get(i));
        }
        return Cl100k.ENCODING.decode(kept);
    }
}
