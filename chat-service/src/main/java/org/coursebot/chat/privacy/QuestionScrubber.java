package org.coursebot.chat.privacy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The personal data a student's question may carry, which is neither stored nor searched for (issues 20 and 27):
 * e-mail addresses, phone numbers, bank accounts (IBAN), long digit runs (student and card numbers), street addresses
 * with a house number and anything that looks like a token or key. {@link #scrub} puts a placeholder in their place
 * (what the question log stores); {@link #strip} leaves them out (what the search runs on, so that nothing derived
 * from them, a term, a name or a vector, exists anywhere). The rules are written against false positives too: every
 * plain question of both sample courses (error codes, ports, versions, commands) passes unchanged
 * ({@code QuestionScrubberTests}).
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
            // An IBAN: country, check digits, then 11-30 letters and digits, in groups of four or not.
            new Rule(Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b"), "[iban]"),
            // A street address with its house number, written number first ("221B Baker Street") or street first
            // ("Kalevankatu 17 B 23", "Hauptstraße 5a", "Storgatan 12"), with the street words of the common languages.
            new Rule(Pattern.compile("\\b\\d{1,5}[A-Za-z]?,? (?:\\p{Lu}[\\p{L}'.-]* ){1,3}(?:Street|St|Road|Rd|Avenue|Ave"
                    + "|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Square|Sq|Parkway|Terrace|Close|Crescent"
                    + "|Highway|Hwy)\\b\\.?"), "[address]"),
            new Rule(Pattern.compile("\\b\\p{Lu}[\\p{L}-]*(?:straße|strasse|str\\.|gasse|weg|allee|platz|damm|tie|katu|kuja"
                    + "|polku|gatan|vägen|gata|väg|laan|straat|gracht|plein|vej|gade|veien|vegen|ulica|utca) \\d{1,5}"
                    + "(?: ?[A-Za-z]\\b)?(?:[ -]\\d{1,4}\\b)?"), "[address]"),
            new Rule(Pattern.compile("\\b(?:Rue|Via|Viale|Calle|Avenida|Rua|Piazza|Plaza|Boulevard) (?:\\p{L}+ ){0,3}\\d{1,5}"
                    + "[A-Za-z]?\\b"), "[address]"),
            // A phone number: an optional +country, then at least 8 digits in groups separated by spaces, dots, dashes
            // or parentheses (a version such as 18.2.0 has too few digits; a date has its own shape and fewer).
            // It may end a sentence: a dot after it counts as one unless a digit follows (a version, an address).
            new Rule(Pattern.compile("(?<![\\w.])\\+?\\(?\\d{1,4}\\)?(?:[ .\\-]?\\(?\\d{2,4}\\)?){2,5}(?!\\w|\\.\\d)"), null),
            new Rule(Pattern.compile("\\d{7,}"), "[number]"));

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[(?:secret|email|iban|address|phone|number)]");
    private static final Pattern SPACES = Pattern.compile("[ \\t]{2,}");

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
     * The text without its personal data: {@link #scrub}bed, and the placeholders left out (with the spaces around
     * them), so that a search for it finds what the question asks, not "email" or "phone".
     */
    public static String strip(String text) {
        String scrubbed = scrub(text);
        if (!hasPlaceholder(scrubbed)) {
            return scrubbed;
        }
        return SPACES.matcher(PLACEHOLDER.matcher(scrubbed).replaceAll(" ")).replaceAll(" ").strip();
    }

    /** Whether a scrubbed text had personal data: it holds one of {@link #scrub}'s placeholders. */
    public static boolean hasPlaceholder(String scrubbed) {
        return scrubbed != null && PLACEHOLDER.matcher(scrubbed).find();
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
