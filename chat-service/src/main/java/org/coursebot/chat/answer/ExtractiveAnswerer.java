package org.coursebot.chat.answer;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

import org.coursebot.model.Citation;
import org.coursebot.model.SearchHit;

/**
 * The offline answer: the best passages, each trimmed to the sentences that share most with the question and
 * followed by its citation. It never writes a sentence the course does not contain.
 */
public final class ExtractiveAnswerer {

    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "can",
            "do", "does", "for", "from", "how", "i", "in", "is", "it", "my", "of", "on", "or", "should", "that",
            "the", "this", "to", "what", "when", "where", "which", "who", "why", "with", "you", "your", "we");

    private final int passages;
    private final int sentencesPerPassage;

    public ExtractiveAnswerer(int passages, int sentencesPerPassage) {
        this.passages = passages;
        this.sentencesPerPassage = sentencesPerPassage;
    }

    public Answer answer(String question, List<SearchHit> hits, boolean degraded) {
        Set<String> asked = terms(question);
        StringBuilder text = new StringBuilder();
        List<Citation> citations = new ArrayList<>();
        for (SearchHit hit : hits.subList(0, Math.min(passages, hits.size()))) {
            int index = citations.size() + 1;
            citations.add(Citation.of(index, hit));
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append("**").append(hit.title()).append("**: ").append(bestSentences(hit.content(), asked))
                    .append(" [").append(index).append(']');
        }
        return new Answer(text.toString(), citations, true, "extractive", degraded);
    }

    /** Said when nothing is similar enough: no guess, but where to look if anything is close. */
    public static Answer notCovered(List<SearchHit> closest, String mode, boolean degraded) {
        StringBuilder text = new StringBuilder("The course material does not seem to cover this question.");
        List<Citation> citations = new ArrayList<>();
        if (!closest.isEmpty()) {
            text.append(" The closest sections are:");
            for (SearchHit hit : closest) {
                int index = citations.size() + 1;
                citations.add(Citation.of(index, hit));
                text.append("\n- ").append(hit.title()).append(" [").append(index).append(']');
            }
        }
        return new Answer(text.toString(), citations, false, mode, degraded);
    }

    String bestSentences(String content, Set<String> asked) {
        List<String> sentences = sentences(content);
        if (sentences.size() <= sentencesPerPassage) {
            return String.join(" ", sentences);
        }
        // Best-scoring sentences, shown in their original order so the passage still reads.
        return IntStream.range(0, sentences.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -overlap(sentences.get(i), asked)).thenComparingInt(i -> i))
                .limit(sentencesPerPassage).sorted()
                .map(sentences::get).reduce((a, b) -> a + " " + b).orElse("");
    }

    /** The prose sentences of a passage; code blocks are left out, as a sentence cut from code reads as nonsense. */
    static List<String> sentences(String content) {
        List<String> out = new ArrayList<>();
        for (String block : content.split("\\n\\s*\\n")) {
            if (looksLikeCode(block)) {
                continue;
            }
            BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
            String flat = block.replaceAll("\\s+", " ").trim();
            it.setText(flat);
            for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                String s = flat.substring(start, end).trim();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static boolean looksLikeCode(String block) {
        String[] lines = block.strip().split("\n");
        long code = java.util.Arrays.stream(lines)
                .filter(l -> l.matches(".*([;{}]|=>)\\s*$") || l.matches("^\\s*(const|let|var|import|return|if|}|//|\\$|npm|node) .*")).count();
        return lines.length > 0 && code * 2 >= lines.length;
    }

    private static int overlap(String sentence, Set<String> asked) {
        Set<String> words = terms(sentence);
        words.retainAll(asked);
        return words.size();
    }

    static Set<String> terms(String text) {
        Set<String> terms = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_.()-]+")) {
            String t = w.replaceAll("^[.()-]+|[.()-]+$", "");
            if (t.length() > 1 && !STOP_WORDS.contains(t)) {
                terms.add(stem(t));
            }
        }
        return terms;
    }

    /** Crude, but enough to match "routes" with "routing" and "handlers" with "handler". */
    private static String stem(String w) {
        for (String suffix : new String[] {"ing", "ed", "es", "s"}) {
            if (w.length() > suffix.length() + 3 && w.endsWith(suffix)) {
                return w.substring(0, w.length() - suffix.length());
            }
        }
        return w;
    }
}
