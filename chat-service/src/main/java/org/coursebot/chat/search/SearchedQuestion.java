package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coursebot.chat.privacy.QuestionScrubber;

/**
 * A question as it is searched (issue 27): what a student writes about themselves must change neither what is found
 * nor whether the course answers, and nothing derived from their personal data may reach the coverage signals that
 * are returned and logged.
 *
 * @param text the question without its personal data ({@link #withoutPersonalData}): embedded and searched by full
 *             text, and the only text the signals are derived from
 * @param asked what the question asks, whose terms the coverage decision weighs: its asking sentences (ending with a
 *              question mark or opening with a question word; a short one with the sentence before it, which names its
 *              topic), or, when it has none, its sentences but a greeting or a thank-you. "Hi, this is Priya from the Tuesday group." or "My classmate Matti asked me this too:"
 *              say nothing of the course.
 * @param names the words read as names of what is asked about, whose absence from the course means "not covered":
 *              those written as code (digits, dots, underscores, acronyms, CamelCase) anywhere in the text, those
 *              written only with a capital in the asking sentences ({@link #isName}); never an address (a URL, a
 *              path), which says where, not what
 * @param followUp whether {@code text} holds earlier questions of the conversation besides this one
 *                 ({@link #of(String, List)}), or was rewritten with them by the chat model ({@link #condensed})
 */
public record SearchedQuestion(String text, String asked, List<String> names, boolean followUp) {

    /** A word as written, with the dots, slashes, underscores and hyphens inside it (express.json, pg_dump). */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}](?:[\\p{L}\\p{N}._/+#-]*[\\p{L}\\p{N}+#])?");
    /** A URL, a www. address or a file path of two parts or more: the student's own places, not topics. */
    private static final Pattern ADDRESS = Pattern.compile(
            "\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S+|\\bwww\\.\\S+|(?<![\\w.])(?:~|\\.{1,2}|[A-Za-z]:)?[/\\\\](?:[\\w.@-]+[/\\\\])+[\\w.@-]*(?::\\d+)*");
    /** Sentence ends: after . ! ? : ; and a space, or at a line break. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?:;])\\s+|\\s*\\n\\s*");
    private static final Pattern QUESTION_WORD = Pattern.compile("(?i)^\\W*(?:how|what|what's|why|when|where|which|who"
            + "|whom|whose|can|could|should|would|will|is|are|am|do|does|did|was|were|has|have|may|must|shall|explain"
            + "|show|tell|help|describe|give|list|compare)\\b");

    /**
     * A person introducing themselves, at the start of a sentence or after a greeting ("I'm Jane Doe", "Hi, this is
     * Priya Raman", "my name is Sven"), in brackets ("(Jonas Weber)") or as "Jonas Weber here". Who writes is not what
     * they ask about: neither searched nor read as names or terms of the question.
     */
    private static final Pattern INTRODUCED = Pattern.compile(
            "(?:^|(?<=[.!?,;:]\\s?))(?:\\s*(?i:hi|hello|hey|dear)\\b[\\s,]*)?"
            + "(?i:I'm|I am|this is|my name is)\\s+\\p{Lu}\\p{Ll}+(?:[\\s-]+\\p{Lu}\\p{Ll}+)*"
            + "|\\(\\p{Lu}\\p{Ll}+(?:[\\s-]+\\p{Lu}\\p{Ll}+)+\\)"
            + "|\\b\\p{Lu}\\p{Ll}+(?:[\\s-]+\\p{Lu}\\p{Ll}+)+\\s+here\\b");

    /** A word that points back to what an earlier sentence named. */
    private static final Pattern POINTS_BACK = Pattern.compile("(?i)\\b(?:it|this|that|these|those|them|so)\\b");
    /** A greeting or a thank-you, which tells who writes, not what they ask ("Hi, this is Priya from ..."). */
    private static final Pattern GREETING = Pattern.compile("(?i)^\\W*(?:hi|hello|hey|hiya|dear|greetings|good (?:morning"
            + "|afternoon|evening)|thanks|thank you|many thanks|cheers|regards|best regards|best wishes|kind regards)\\b");

    /** The question as searched: its personal data left out, its asking sentences and its names found. */
    public static SearchedQuestion of(String question) {
        String text = withoutIntroductions(withoutPersonalData(question));
        List<String> sentences = sentences(text);
        List<String> askedSentences = asking(sentences);
        if (askedSentences.isEmpty()) { // a symptom told, not asked: all of it but a greeting or a thank-you
            askedSentences = sentences.stream().filter(sentence -> !GREETING.matcher(sentence).find()).toList();
        }
        if (askedSentences.isEmpty()) {
            askedSentences = sentences;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String sentence : sentences) {
            Matcher words = WORD.matcher(ADDRESS.matcher(sentence).replaceAll(" "));
            while (words.find()) {
                Name kind = isName(words.group(), sentence);
                if (kind == Name.CODE || kind == Name.CAPITALISED && askedSentences.contains(sentence)) {
                    names.add(words.group());
                }
            }
        }
        return new SearchedQuestion(text, String.join(" ", askedSentences), new ArrayList<>(names), false);
    }

    /**
     * A follow-up searched in its conversation (issue 29): the earlier questions it leans on ({@link QuestionInContext})
     * before it in {@code text}, so that the vector and the full-text match find its topic; what it asks and its names
     * are its own, so that the coverage decision weighs what this question adds ("and with Django?").
     */
    public static SearchedQuestion of(String question, List<String> leanedOn) {
        SearchedQuestion asked = of(question);
        if (leanedOn.isEmpty()) {
            return asked;
        }
        List<String> texts = new ArrayList<>();
        leanedOn.forEach(earlier -> texts.add(of(earlier).text()));
        texts.add(asked.text());
        return new SearchedQuestion(String.join("\n", texts), asked.asked(), asked.names(), true);
    }

    /**
     * A follow-up as the chat model rewrote it to stand alone ({@code standalone}, the condense call of issue 29):
     * searched, weighed and named as that question, which says all the follow-up means; personal data the model may
     * have carried over is left out as from any question.
     */
    public static SearchedQuestion condensed(String standalone) {
        SearchedQuestion rewritten = of(standalone);
        return new SearchedQuestion(rewritten.text(), rewritten.asked(), rewritten.names(), true);
    }

    /**
     * The question without its personal data: a sentence that carried some and asks nothing ("My e-mail is ... and my
     * phone is ...") is left out whole, since it is about the student, unless nothing would be left; in the others the
     * data alone is left out. A question without personal data is returned as it is.
     */
    static String withoutPersonalData(String question) {
        String scrubbed = QuestionScrubber.scrub(question);
        if (scrubbed.equals(question)) {
            return question;
        }
        List<String> kept = new ArrayList<>();
        for (String sentence : sentences(scrubbed)) {
            if (!QuestionScrubber.hasPlaceholder(sentence)) {
                kept.add(sentence);
            } else if (asks(sentence)) {
                kept.add(QuestionScrubber.strip(sentence));
            }
        }
        if (kept.isEmpty()) { // it all told of the student ("student id 2023481 here - I ran sort and it broke"): the
            // question is in there, without the data
            sentences(scrubbed).forEach(sentence -> kept.add(QuestionScrubber.strip(sentence)));
        }
        return String.join(" ", kept);
    }

    /** The question without the student introducing themselves ({@link #INTRODUCED}); as it is when there is none. */
    static String withoutIntroductions(String question) {
        if (!INTRODUCED.matcher(question).find()) {
            return question;
        }
        List<String> kept = new ArrayList<>();
        for (String sentence : sentences(question)) {
            Matcher introduction = INTRODUCED.matcher(sentence);
            if (introduction.find() && introduction.start() == 0 && !asks(sentence)) {
                continue; // "Hi, this is Priya Raman from the Tuesday group.": about the student, whole
            }
            String rest = INTRODUCED.matcher(sentence).replaceAll("").replaceAll("\\s{2,}", " ").strip();
            if (!rest.isEmpty()) {
                kept.add(rest);
            }
        }
        return kept.isEmpty() ? question : String.join(" ", kept);
    }

    /**
     * The sentences that ask, in order, each with the sentence before it when it leans on that one for its topic
     * ("Deploying my app to Kubernetes with Helm: how do I do it?", "... to Heroku. Why?"), unless that one is a
     * greeting.
     */
    static List<String> asking(List<String> sentences) {
        List<String> asking = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            if (asks(sentence)) {
                if (i > 0 && leansOnTheSentenceBefore(sentence) && !GREETING.matcher(sentences.get(i - 1)).find()
                        && !asking.contains(sentences.get(i - 1))) {
                    asking.add(sentences.get(i - 1));
                }
                asking.add(sentence);
            }
        }
        return asking;
    }

    /**
     * Too short to name a topic ("Why?", "Now what?"), or short and pointing back ("How do I do it?", "Is it lost?").
     * Four words ("What should I use?") measured worse: a topic switch asked so was answered from the wrong sections
     * instead of refused with the right one closest (docs/benchmarks.md, "Follow-ups in a conversation").
     */
    private static boolean leansOnTheSentenceBefore(String question) {
        int words = question.strip().split("\\s+").length;
        return words <= 3 || words <= 8 && POINTS_BACK.matcher(question).find();
    }

    static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        for (String s : SENTENCE_END.split(text.strip())) {
            if (!s.isBlank()) {
                sentences.add(s);
            }
        }
        return sentences;
    }

    /** A sentence that asks: it ends with a question mark (quotes and brackets aside) or opens with a question word. */
    static boolean asks(String sentence) {
        String end = sentence.replaceAll("[\\s\"')\\]]+$", "");
        return end.endsWith("?") || QUESTION_WORD.matcher(sentence).find();
    }

    /** How a word is written: as code, as a capitalised name, or as a plain word. */
    enum Name { CODE, CAPITALISED, NONE }

    /**
     * A word written as a name: as code, with digits, dots or underscores inside or two capitals or more (es2022,
     * express.json, DATABASE_URL, OAuth, JSON); or capitalised, a capital not at the start of the sentence (Kubernetes,
     * but also Priya). Not a bare number, and at least three characters.
     */
    static Name isName(String token, String sentence) {
        if (token.length() < 3 || token.matches("[\\d.,]+")) {
            return Name.NONE; // a number or a version ("2.17") is not a topic; two letters (VS, JS, DB) are too ambiguous
        }
        if (token.chars().anyMatch(Character::isDigit) || token.matches(".*\\w[._/]\\w.*")
                || token.chars().filter(Character::isUpperCase).count() >= 2) {
            return Name.CODE;
        }
        if (!Character.isUpperCase(token.charAt(0))) {
            return Name.NONE;
        }
        Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(token) + "(?![\\p{L}\\p{N}])").matcher(sentence);
        while (m.find()) {
            String before = sentence.substring(0, m.start()).stripTrailing();
            if (!before.isEmpty() && ".!?:\"'(".indexOf(before.charAt(before.length() - 1)) < 0) {
                return Name.CAPITALISED;
            }
        }
        return Name.NONE;
    }
}
