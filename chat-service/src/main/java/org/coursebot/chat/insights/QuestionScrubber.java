package org.coursebot.chat.insights;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a student's question may not carry into the question log (issue 20): e-mail addresses, phone numbers, long digit
 * runs (student and card numbers) and anything that looks like a token or key are replaced by a placeholder before the
 * text is stored. The rules are written against false positives too: every question of both sample courses (error
 * codes, ports, versions, commands) passes unchanged ({@code QuestionScrubberTests}).
 */
public final class QuestionScrubber {

    /** One rule: what it finds, and what it leaves in its place. */
    private record Rule(Pattern pattern, String placeholder) {
    }

    private static final List<Rule> RULES = List.of(
            // Keys and tokens first, so that their digits are not taken for a phone number: provider prefixes, JWTs,
            // bearer values, and long runs mixing letters and digits (hex or base64 secrets, at least 24 characters).
            new Rule(Pattern.compile("(?i)\\b(?:sk|pk|rk|ghp|gho|ghu|ghs|github_pat|xox[abpr]|glpat|AKIA)[-_][A-Za-z0-9_\\-]{8,}"),
                    "[secret]"),
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}"), "[secret]"),
            // A value after a key word: after ':' or '=', or after a space when it holds a digit or a symbol (so that
            // "a password without ..." stays prose). "Bearer" is always followed by a token.
            new Rule(Pattern.compile("(?i)\\b(bearer\\s+)\\S{6,}"), "$1[secret]"),
            new Rule(Pattern.compile("(?i)\\b(token|password|passwd|pwd|secret|api[_ -]?key)(\\s*[:=]\\s*)\\S{4,}"),
                    "$1$2[secret]"),
            new Rule(Pattern.compile("(?i)\\b(token|password|passwd|pwd|secret|api[_ -]?key)(\\s+)(?=\\S*[0-9_!#$%^&*])\\S{6,}"),
                    "$1$2[secret]"),
            new Rule(Pattern.compile("\\b(?=[A-Za-z0-9+/_\\-]*\\d)(?=[A-Za-z0-9+/_\\-]*[A-Za-z])[A-Za-z0-9+/_\\-]{24,}={0,2}"),
                    "[secret]"),
            new Rule(Pattern.compile("(?i)[a-z0-9._%+\\-]+@[a-z0-9.\\-]+\\.[a-z]{2,}"), "[email]"),
            // A phone number: an optional +country, then at least 8 digits in groups separated by spaces, dots, dashes
            // or parentheses (a version such as 18.2.0 has too few digits; a date has its own shape and fewer).
            new Rule(Pattern.compile("(?<![\\w.])\\+?\\(?\\d{1,4}\\)?(?:[ .\\-]?\\(?\\d{2,4}\\)?){2,5}(?![\\w.])"), null),
            new Rule(Pattern.compile("\\d{7,}"), "[number]"));

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private QuestionScrubber() {
    }

    /** The text with every e-mail address, phone number, long digit run and secret replaced by a placeholder. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            out = rule.placeholder() == null ? phones(rule.pattern(), out) : rule.pattern().matcher(out).replaceAll(rule.placeholder());
        }
        return out;
    }

    /**
     * Phone-shaped runs with at least 8 digits and a separator become [phone]; shorter ones (times, versions, small
     * numbers) and ISO dates stay, and a bare digit run is left for the [number] rule.
     */
    private static String phones(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String run = m.group();
            long digits = run.chars().filter(Character::isDigit).count();
            boolean phone = digits >= 8 && digits < run.length() && !ISO_DATE.matcher(run).matches();
            m.appendReplacement(out, phone ? "[phone]" : Matcher.quoteReplacement(run));
        }
        m.appendTail(out);
        return out.toString();
    }
}
