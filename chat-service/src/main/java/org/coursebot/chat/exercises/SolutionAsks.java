package org.coursebot.chat.exercises;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a question's words ask for an answer or code to hand in ("solve this", "give me the code", "write it for
 * me", "just tell me the answer", "which option is correct") rather than about it ("what does it ask", "a hint, not
 * the answer"). Looks at words only; which exercise is meant is {@link ExerciseReferences}'. Pure: no I/O.
 */
final class SolutionAsks {

    /** What was found: the cue that asks for the answer, or the cue that says it is not wanted. */
    record Ask(boolean forSolution, String cue) {
    }

    /** Key words whose one-letter typos count too ({@link Words#typoOf}). */
    private static final List<String> SOLVE_WORDS = List.of("solve", "solved", "solving", "solution", "solutions");
    private static final Set<String> ASK_VERBS = Set.of("write", "rewrite", "give", "send", "post", "paste", "tell",
            "list", "solve", "finish", "complete", "do", "fix", "show");
    /** What a student wants handed over, after one of the verbs above. */
    private static final Set<String> OBJECTS = Set.of("code", "codes", "script", "scripts", "command", "commands",
            "file", "files", "route", "routes", "component", "function", "loop", "text", "messages", "markers", "schema",
            "query", "handler", "program", "tests", "hash", "everything", "solution", "solutions", "answer", "answers",
            "steps", "whole", "full", "entire", "working", "finished", "exact", "corrected", "all", "every");
    private static final Pattern FILE_NAME = Pattern.compile("[\\p{L}\\p{N}_\\-]+\\.(js|mjs|cjs|ts|sql|sh|md|py|java|json)");
    private static final Set<String> PRONOUNS = Set.of("it", "this", "them");
    /** A verb after these is the student's own doing ("where do I write", "how do I do"), not an ask. */
    private static final Set<String> STUDENT = Set.of("i", "we", "im", "ive", "id");
    /** A verb's object is looked for this many words on: "write me the whole DELETE /api/persons/:id route". */
    private static final int OBJECT_REACH = 6;
    /** "... for me" this many words after a verb: "can you write exercise 2.1 for me". */
    private static final int FOR_ME_REACH = 8;

    private static final Pattern ANSWER_NOUN = Pattern.compile(
            "\\b(the|an|your|correct|right|final|full) answers?\\b|\\banswers? (for|to|of|pls|please|plz)\\b"
                    + "|\\banswers?$");
    /** The student's own answers: "where do I write the answers". */
    private static final Pattern OWN_ANSWERS = Pattern.compile(
            "\\b(i|we) (write|put|submit|save|send|upload|hand in)( \\w+){0,2} answers?\\b");
    /**
     * "answer" as a verb after a modal and its subject: "what should the server answer for paths other than /"
     * (insights-questions.jsonl). Not when the subject is the student ("what should I answer for 2.6" asks for it)
     * nor when a determiner makes it the noun ("what should the answer for 2.6 be").
     */
    private static final Pattern VERB_ANSWER = Pattern.compile("\\b(should|would|must|will|can|could|does|do|did)"
            + "(?! (i|we)\\b)(?: \\w+){1,2} answers?\\b(?<!\\b(?:the|an|a|your|correct|right|final|full) answers?)");
    private static final Pattern WHOLE_THING = Pattern.compile(
            "\\b(full|complete|whole|entire|working|finished|corrected|exact|just the|only the)( [\\w.\\-]+){0,2}"
                    + " (code|script|solution|program|list|file|commands?|route|component|schema)\\b"
                    + "|\\b(all|every|each)( the)? (commands?|steps?)\\b");
    private static final Pattern HAND_IN = Pattern.compile("\\bhand (it|this|them) in\\b|\\bsubmit (it|this|them)\\b"
            + "|\\bcopy (and )?paste\\b|\\b(ill|i will|i can|to) copy (them|it|this)\\b");
    private static final Pattern JUST_TELL = Pattern.compile(
            "\\bjust (tell|give|write|send|do|post|paste|list|solve) (me|it|us)\\b");
    private static final Pattern CHOICE = Pattern.compile("\\b(which|what|whats)( one| option| answer| command)?"
            + "( is| are| s)? (the )?(correct|right)( one)?\\b|\\bwhat goes in\\b");
    private static final Pattern NOT_WANTED = Pattern.compile(
            "\\b(dont|do not|not|without|no|never)( \\w+){0,3} (answers?|solutions?|code)\\b");
    private static final Pattern HINT = Pattern.compile("\\b(hints?|clue|nudge)\\b");
    private static final Pattern NO_HINT = Pattern.compile("\\b(no|not|without|dont want)( a)? hints?\\b");

    private SolutionAsks() {
    }

    /** The ask in these words; empty when they neither ask for the answer nor say it is not wanted. */
    static Optional<Ask> of(List<String> words) {
        String text = String.join(" ", words);
        Matcher notWanted = NOT_WANTED.matcher(text);
        if (notWanted.find()) {
            return Optional.of(new Ask(false, notWanted.group()));
        }
        Matcher hint = HINT.matcher(text);
        if (hint.find() && !NO_HINT.matcher(text).find()) {
            return Optional.of(new Ask(false, hint.group()));
        }
        return solutionCue(words, text).map(cue -> new Ask(true, cue));
    }

    private static Optional<String> solutionCue(List<String> words, String text) {
        for (String w : words) {
            for (String key : SOLVE_WORDS) {
                if (Words.typoOf(w, key)) {
                    return Optional.of(w);
                }
            }
        }
        for (Pattern p : List.of(WHOLE_THING, HAND_IN, JUST_TELL, CHOICE)) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                return Optional.of(m.group());
            }
        }
        Matcher answer = ANSWER_NOUN.matcher(VERB_ANSWER.matcher(OWN_ANSWERS.matcher(text).replaceAll(" "))
                .replaceAll(" "));
        if (answer.find()) {
            return Optional.of(answer.group());
        }
        return verbAndObject(words);
    }

    /** An asking verb with something to hand over after it, or "for me" after it: "write me the whole route". */
    private static Optional<String> verbAndObject(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (!isAskVerb(words.get(i)) || i > 0 && STUDENT.contains(words.get(i - 1))
                    || i + 1 < words.size() && STUDENT.contains(words.get(i + 1))) {
                continue;
            }
            int next = i + 1 < words.size() && Set.of("me", "us").contains(words.get(i + 1)) ? i + 2 : i + 1;
            if (next < words.size() && PRONOUNS.contains(words.get(next))) {
                return Optional.of(String.join(" ", words.subList(i, next + 1)));
            }
            for (int j = i + 1; j < Math.min(words.size(), i + 1 + OBJECT_REACH); j++) {
                String w = words.get(j);
                if (OBJECTS.contains(w) || FILE_NAME.matcher(w).matches()) {
                    return Optional.of(String.join(" ", words.subList(i, j + 1)));
                }
            }
            for (int j = i + 1; j + 1 < Math.min(words.size(), i + 2 + FOR_ME_REACH); j++) {
                if (words.get(j).equals("for") && words.get(j + 1).equals("me")) {
                    return Optional.of(String.join(" ", words.subList(i, j + 2)));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isAskVerb(String word) {
        return ASK_VERBS.contains(word) || Words.typoOf(word, "write");
    }
}
