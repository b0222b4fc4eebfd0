package org.coursebot.chat.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a question means in its conversation (issue 29), without a chat model: a follow-up ("and how do I send it back
 * to the client?", "why?", "what about PUT?") is searched together with the earlier question it leans on; a question
 * that stands alone is searched alone, so that a new topic after an unrelated history is not dragged back to the old
 * one.
 *
 * <p>A question leans on the conversation when it is very short, or short and either continues the last one ("and",
 * "also", "what about", "then"...) or points back at what was said ("it", "this", "that", "them", "there"...). The
 * earlier question is itself taken in its context, so a chain of follow-ups keeps its topic; at most
 * {@link #MAX_QUESTIONS} questions are joined.
 */
public final class QuestionInContext {

    static final int MAX_QUESTIONS = 3;
    /** This short, a question names no topic of its own ("Why?", "Can you show an example?"). */
    static final int VERY_SHORT = 5;
    /** Up to this long, a continuing or pointing-back question still leans on the one before. */
    static final int SHORT = 16;

    private static final Pattern CONTINUES = Pattern.compile("(?i)^\\W*(?:and|also|but|so|then|or|plus|ok|okay"
            + "|what about|how about|what if|and if|same|instead|why not|how come)\\b");
    private static final Pattern POINTS_BACK = Pattern.compile("(?i)\\b(?:it|its|it's|this|that|these|those|them|they"
            + "|their|there|the same|one|ones|above|previous|before|again|else)\\b");
    private static final Pattern WORDS = Pattern.compile("\\s+");

    private QuestionInContext() {
    }

    /**
     * The earlier questions {@code question} leans on, oldest first: none when it stands alone.
     *
     * @param earlier the student's earlier questions in the conversation, oldest first (their assistant answers are
     *                not searched: they quote the course, and would pull the search towards what was already cited)
     */
    public static List<String> leanedOn(String question, List<String> earlier) {
        return leansOnConversation(question) ? topic(earlier) : List.of();
    }

    /**
     * The earlier questions that hold the conversation's topic, oldest first: the last one, and the ones before it
     * while they lean on theirs (at most {@link #MAX_QUESTIONS} - 1); none when there are none.
     */
    public static List<String> topic(List<String> earlier) {
        List<String> chain = new ArrayList<>();
        for (int i = earlier.size() - 1; i >= 0 && chain.size() < MAX_QUESTIONS - 1; i--) {
            String before = earlier.get(i);
            chain.add(0, before);
            if (!leansOnConversation(before)) {
                break; // the question that set the topic
            }
        }
        return chain;
    }

    /** Words in a question, as its length is counted here. */
    public static int words(String question) {
        String stripped = question.strip();
        return stripped.isEmpty() ? 0 : WORDS.split(stripped).length;
    }

    /** Very short, or short and continuing or pointing back ({@link QuestionInContext}). */
    static boolean leansOnConversation(String question) {
        String stripped = question.strip();
        int words = words(stripped);
        return words <= VERY_SHORT
                || words <= SHORT && (CONTINUES.matcher(stripped).find() || POINTS_BACK.matcher(stripped).find());
    }
}
