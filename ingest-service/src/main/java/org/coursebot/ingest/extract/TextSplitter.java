package org.coursebot.ingest.extract;

import java.util.ArrayList;
import java.util.List;

import org.coursebot.embedding.TokenCounter;

/**
 * Cuts text into pieces of at most {@code budget} tokens, preferring paragraph breaks, then line breaks, then
 * sentence ends, then spaces, and inside a word only as a last resort. Each piece after the first starts with up to
 * {@code overlap} tokens from the end of the one before, from a sentence start where one fits (else a word start).
 * Pieces are substrings of the text, so code keeps its layout. Stateless and thread-safe.
 */
final class TextSplitter {

    private final int budget;
    private final int overlap;

    TextSplitter(int budget, int overlap) {
        if (budget < 2 || overlap < 0 || overlap > budget / 2) {
            throw new IllegalArgumentException("need budget >= 2 and 0 <= overlap <= budget / 2, got budget "
                    + budget + ", overlap " + overlap);
        }
        this.budget = budget;
        this.overlap = overlap;
    }

    List<String> split(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        if (TokenCounter.cl100k().count(text) <= budget) {
            return List.of(text);
        }
        // Stretches of at most half the budget guarantee that overlap + one more stretch always fits: progress.
        TextCuts cuts = TextCuts.of(text, budget / 2);
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int previousEnd = 0;
        while (previousEnd < text.length()) {
            int end = pieceEnd(cuts, start, previousEnd);
            String piece = text.substring(start, end).stripTrailing().replaceFirst("^(?:[ \\t]*\\n)+", "");
            if (!piece.isBlank()) {
                pieces.add(piece);
            }
            previousEnd = end;
            start = overlapStart(cuts, start, end);
        }
        return pieces;
    }

    /**
     * The cut ending the piece that starts at {@code start}: among cuts past {@code minEnd} whose piece fits the
     * budget, the strongest boundary that leaves the piece at least half full (the furthest on ties), else the
     * furthest that fits.
     */
    private int pieceEnd(TextCuts cuts, int start, int minEnd) {
        int first = cuts.indexAfter(start);
        int furthest = -1;
        int best = -1;
        int tokens = 0;
        for (int i = first; i < cuts.size(); i++) {
            tokens += cuts.tokensBefore(i);
            if (tokens > budget) {
                break;
            }
            if (cuts.position(i) <= minEnd) {
                continue;
            }
            furthest = i;
            if (tokens >= budget / 2 && (best < 0 || cuts.strength(i) >= cuts.strength(best))) {
                best = i;
            }
        }
        int chosen = furthest == cuts.size() - 1 || best < 0 ? furthest : best;
        if (chosen < 0) {
            chosen = cuts.indexAfter(minEnd);
        }
        return exactFit(cuts, start, minEnd, chosen);
    }

    /** Summed stretch counts estimate the piece's count; step back while the exact count is over budget. */
    private int exactFit(TextCuts cuts, int start, int minEnd, int chosen) {
        int i = chosen;
        while (i > 0 && cuts.position(i - 1) > minEnd
                && TokenCounter.cl100k().count(cuts.text(start, cuts.position(i))) > budget) {
            i--;
        }
        return cuts.position(i);
    }

    /** Where the next piece starts: the earliest sentence start (else word start) whose tail fits the overlap. */
    private int overlapStart(TextCuts cuts, int start, int end) {
        int sentence = end;
        int word = end;
        int tokens = 0;
        for (int i = cuts.indexAfter(end) - 1; i > 0 && cuts.position(i - 1) > start; i--) {
            tokens += cuts.tokensBefore(i);
            if (tokens > overlap) {
                break;
            }
            int p = cuts.position(i - 1);
            if (cuts.strength(i - 1) >= TextCuts.SENTENCE) {
                sentence = p;
            } else if (cuts.strength(i - 1) == TextCuts.WORD) {
                word = p;
            }
        }
        return sentence < end ? sentence : word;
    }
}
