package org.coursebot.chat.answer;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

    static final String NOT_COVERED = "The course material does not seem to cover this question.";

    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*•]|\\d+[.)])\\s+");

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
        return new Answer(text.toString(), citations, true, AnswerMode.EXTRACTIVE, degraded);
    }

    /** Said when nothing is similar enough: no guess, but where to look if anything is close. */
    public static Answer notCovered(List<SearchHit> closest, AnswerMode mode, boolean degraded) {
        return notCovered(NOT_COVERED, closest, mode, degraded);
    }

    /** {@code opening} (what was said), then the closest sections as numbered citations. */
    public static Answer notCovered(String opening, List<SearchHit> closest, AnswerMode mode, boolean degraded) {
        StringBuilder text = new StringBuilder(opening);
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

    /**
     * The sentences that share most terms with the question (not the passage's first ones), best first, and
     * around the best one its neighbours for context; shown in page order, with " … " where text is left out.
     */
    String bestSentences(String content, Set<String> asked) {
        List<String> sentences = sentences(content);
        if (sentences.size() <= sentencesPerPassage) {
            return String.join(" ", sentences);
        }
        int[] scores = sentences.stream().mapToInt(s -> overlap(s, asked)).toArray();
        TreeSet<Integer> chosen = IntStream.range(0, sentences.size()).boxed().filter(i -> scores[i] > 0)
                .sorted(Comparator.comparingInt((Integer i) -> -scores[i]).thenComparingInt(i -> i))
                .limit(sentencesPerPassage).collect(Collectors.toCollection(TreeSet::new));
        int best = chosen.isEmpty() ? 0 : IntStream.range(0, sentences.size()).boxed()
                .min(Comparator.comparingInt((Integer i) -> -scores[i]).thenComparingInt(i -> i)).orElseThrow();
        for (int d = 0; chosen.size() < sentencesPerPassage; d++) {
            if (best + d < sentences.size()) {
                chosen.add(best + d);
            }
            if (chosen.size() < sentencesPerPassage && best - d >= 0) {
                chosen.add(best - d);
            }
        }
        StringBuilder text = new StringBuilder();
        int previous = -1;
        for (int i : chosen) {
            if (previous >= 0) {
                text.append(i == previous + 1 ? " " : " … ");
            }
            text.append(sentences.get(i));
            previous = i;
        }
        return text.toString();
    }

    /**
     * The prose sentences of a passage. Only whole prose is quoted: a paragraph (one line, as extraction writes
     * it) or the items of a list; code, tables and other preformatted blocks are left out whole, as a sentence cut
     * from them reads as nonsense.
     */
    static List<String> sentences(String content) {
        List<String> out = new ArrayList<>();
        for (String block : content.split("\\n\\s*\\n")) {
            String[] lines = block.strip().split("\n");
            if (lines.length == 1 && !looksLikeCode(block)) {
                splitSentences(lines[0], out);
            } else if (Arrays.stream(lines).allMatch(l -> LIST_ITEM.matcher(l).find())) {
                Arrays.stream(lines).forEach(l -> splitSentences(LIST_ITEM.matcher(l).replaceFirst(""), out));
            }
        }
        return out;
    }

    /**
     * Sentence boundaries where a sentence really ends: punctuation followed by a space. The break iterator also
     * breaks inside "/api/notes?important=true" or "e.g.x"; such a break is not taken.
     */
    private static void splitSentences(String paragraph, List<String> out) {
        String flat = paragraph.replaceAll("\\s+", " ").trim();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(flat);
        int start = 0;
        for (int end = it.next(); end != BreakIterator.DONE; end = it.next()) {
            if (end < flat.length() && !Character.isWhitespace(flat.charAt(end - 1))) {
                continue;
            }
            String s = flat.substring(start, end).trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
            start = end;
        }
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
