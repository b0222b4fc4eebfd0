package org.coursebot.embedding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts cl100k_base tokens, the tokenizer of OpenAI's embedding models (text-embedding-3-*, ada-002) and of the
 * usage chat-service reports: the one counter of both services (chunk budgets, embedding batches, /v1 usage). The
 * local embedding model has its own WordPiece tokenizer; cl100k counts serve there only for accounting.
 * <p>
 * It counts exactly as jtokkit's encoder does, from jtokkit's own vocabulary file, in far less heap: jtokkit's encoder
 * does not fit chat-service's (docs/design.md, "Constraints measured, and what they forced"). The vocabulary is kept
 * as one byte array of all tokens in rank order, their offsets, and an open-addressing table from a token's bytes to
 * its rank.
 * {@code TokenCounterTests} pins the counts to jtokkit's. Immutable once loaded, so one counter serves every thread.
 */
public final class TokenCounter {

    /** jtokkit's copy of OpenAI's cl100k_base.tiktoken: one "base64(token) rank" line per token, ranks 0..n-1. */
    private static final String VOCABULARY = "/com/knuddels/jtokkit/cl100k_base.tiktoken";

    /** OpenAI's split pattern for cl100k_base, as jtokkit compiles it; \s, \p{L} and \p{N} are Unicode classes. */
    private static final Pattern PIECES = Pattern.compile("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final int NO_RANK = Integer.MAX_VALUE;

    private final byte[] tokens;
    private final int[] offsets;
    /** rank + 1 of the token whose hash lands in a slot (or the next free one after it); 0 = empty. */
    private final int[] table;
    private final int mask;

    private TokenCounter(byte[] tokens, int[] offsets) {
        this.tokens = tokens;
        this.offsets = offsets;
        int ranks = offsets.length - 1;
        int size = Integer.highestOneBit(ranks * 2) * 2; // load factor at most 0.5: short probe runs
        this.table = new int[size];
        this.mask = size - 1;
        for (int rank = 0; rank < ranks; rank++) {
            int slot = hash(tokens, offsets[rank], offsets[rank + 1]) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = rank + 1;
        }
    }

    /** Loaded by the first {@link #cl100k()}: a process that never counts (chat-service without /v1) never reads it. */
    private static final class Loaded {
        static final TokenCounter CL100K = load();
    }

    /**
     * The process's counter. The first call reads the vocabulary (~100 ms, 1.7 MB of text), so a caller on an event
     * loop makes that first call on a worker thread.
     */
    public static TokenCounter cl100k() {
        return Loaded.CL100K;
    }

    private static TokenCounter load() {
        try (InputStream in = TokenCounter.class.getResourceAsStream(VOCABULARY)) {
            if (in == null) {
                throw new IllegalStateException(VOCABULARY + " is not on the class path (jtokkit)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            byte[] bytes = new byte[1 << 20];
            int[] offsets = new int[1 << 17];
            int length = 0;
            int ranks = 0;
            Base64.Decoder base64 = Base64.getDecoder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int space = line.indexOf(' ');
                if (Integer.parseInt(line, space + 1, line.length(), 10) != ranks) {
                    throw new IllegalStateException(VOCABULARY + ": ranks are not 0..n-1 in order at line " + (ranks + 1));
                }
                byte[] token = base64.decode(line.substring(0, space));
                if (length + token.length > bytes.length) {
                    bytes = Arrays.copyOf(bytes, bytes.length * 2);
                }
                if (ranks + 2 > offsets.length) {
                    offsets = Arrays.copyOf(offsets, offsets.length * 2);
                }
                System.arraycopy(token, 0, bytes, length, token.length);
                length += token.length;
                offsets[++ranks] = length;
            }
            return new TokenCounter(Arrays.copyOf(bytes, length), Arrays.copyOf(offsets, ranks + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of tokens of {@code text}, special tokens counted as ordinary text (jtokkit's countTokensOrdinary). */
    public int count(String text) {
        int count = 0;
        Matcher pieces = PIECES.matcher(text);
        while (pieces.find()) {
            byte[] piece = text.substring(pieces.start(), pieces.end()).getBytes(StandardCharsets.UTF_8);
            count += merge(piece, null);
        }
        return count;
    }

    /**
     * The longest prefix of {@code text} that has at most {@code maxTokens} tokens as it is split here; a token that
     * ends inside a character is left out with that character, so the result is always a prefix of the text.
     */
    public String truncate(String text, int maxTokens) {
        int used = 0;
        Matcher pieces = PIECES.matcher(text);
        while (pieces.find()) {
            byte[] piece = text.substring(pieces.start(), pieces.end()).getBytes(StandardCharsets.UTF_8);
            int[] starts = new int[piece.length + 1];
            int count = merge(piece, starts);
            if (used + count > maxTokens) {
                int keptBytes = maxTokens - used <= 0 ? 0 : starts[maxTokens - used];
                return text.substring(0, pieces.start()) + wholeCharacters(piece, keptBytes);
            }
            used += count;
        }
        return text;
    }

    /** The characters that {@code bytes[0, length)} holds whole. */
    private static String wholeCharacters(byte[] bytes, int length) {
        int end = length;
        // Back off over continuation bytes (10xxxxxx) to the lead byte of a character that may be cut.
        int lead = end;
        while (lead > 0 && (bytes[lead - 1] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead > 0) {
            int first = bytes[lead - 1] & 0xFF;
            int needed = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
            if (end - (lead - 1) < needed) {
                end = lead - 1;
            }
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Byte-pair merges of one piece, as tiktoken does them: while two neighbouring parts form a token, the pair with
     * the lowest rank is merged (the leftmost of equals). A min-heap of (rank, position) with stale entries skipped
     * keeps a long piece (a 4,000-letter word) at n log n rather than tiktoken's n². Returns the number of tokens and,
     * when {@code starts} is given, leaves each token's first byte in it, in order.
     */
    private int merge(byte[] piece, int[] starts) {
        int n = piece.length;
        if (n <= 1 || rank(piece, 0, n) != NO_RANK) {
            if (starts != null) {
                starts[0] = 0;
                starts[1] = n;
            }
            return 1;
        }
        int[] next = new int[n + 1];
        int[] previous = new int[n + 1];
        int[] pairRank = new int[n];
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            previous[i] = i - 1;
            pairRank[i] = i + 2 <= n ? rank(piece, i, i + 2) : NO_RANK;
            if (pairRank[i] != NO_RANK) {
                heap.add(((long) pairRank[i] << 32) | i);
            }
        }
        previous[n] = n - 1;
        int parts = n;
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int at = (int) top;
            int r = (int) (top >>> 32);
            if (pairRank[at] != r) {
                continue; // stale: this part has merged since
            }
            int gone = next[at];
            next[at] = next[gone];
            previous[next[gone]] = at;
            pairRank[gone] = NO_RANK;
            parts--;
            pairRank[at] = pairRankOf(piece, at, next, n);
            if (pairRank[at] != NO_RANK) {
                heap.add(((long) pairRank[at] << 32) | at);
            }
            int before = previous[at];
            if (before >= 0) {
                pairRank[before] = pairRankOf(piece, before, next, n);
                if (pairRank[before] != NO_RANK) {
                    heap.add(((long) pairRank[before] << 32) | before);
                }
            }
        }
        if (starts != null) {
            int k = 0;
            for (int at = 0; at < n; at = next[at]) {
                starts[k++] = at;
            }
            starts[k] = n;
        }
        return parts;
    }

    /** The rank of the part at {@code at} merged with the one after it, or NO_RANK. */
    private int pairRankOf(byte[] piece, int at, int[] next, int n) {
        int end = next[at] < n ? next[next[at]] : n + 1;
        return end <= n ? rank(piece, at, end) : NO_RANK;
    }

    private int rank(byte[] bytes, int from, int to) {
        int slot = hash(bytes, from, to) & mask;
        for (int entry = table[slot]; entry != 0; slot = (slot + 1) & mask, entry = table[slot]) {
            int rank = entry - 1;
            if (Arrays.equals(tokens, offsets[rank], offsets[rank + 1], bytes, from, to)) {
                return rank;
            }
        }
        return NO_RANK;
    }

    /** FNV-1a, mixed so that the low bits the table uses depend on every byte. */
    private static int hash(byte[] bytes, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ (bytes[i] & 0xFF)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** A binary min-heap of longs, without boxing. */
    private static final class LongHeap {
        private long[] items;
        private int size;

        LongHeap(int capacity) {
            items = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long item) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            int i = size++;
            while (i > 0 && items[(i - 1) >>> 1] > item) {
                items[i] = items[(i - 1) >>> 1];
                i = (i - 1) >>> 1;
            }
            items[i] = item;
        }

        long poll() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && items[child + 1] < items[child]) {
                    child++;
                }
                if (items[child] >= last) {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
