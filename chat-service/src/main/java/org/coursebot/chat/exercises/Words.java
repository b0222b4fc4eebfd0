package org.coursebot.chat.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A text's words for the recogniser: lower case, apostrophes dropped ("don't" is "dont", as students type it). */
final class Words {

    /** Letters and digits; a dot or a hyphen inside keeps "2.4", "index.js" and "fast-forward" one word. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:[.\\-][\\p{L}\\p{N}]+)*");

    private Words() {
    }

    static List<String> of(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replace("'", "").replace("\u2019", "");
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(lower);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** The words with dots and hyphens as separators too, which is how a pasted statement is compared. */
    static List<String> plain(String text) {
        List<String> words = new ArrayList<>();
        for (String w : of(text)) {
            for (String part : w.split("[.\\-]")) {
                if (!part.isEmpty()) {
                    words.add(part);
                }
            }
        }
        return words;
    }

    /**
     * Whether two words are the same word for a title match: equal once a plural "s" is dropped, or sharing their
     * first five letters ("deleting", "delete"), which is as much stemming as English titles here need.
     */
    static boolean sameWord(String a, String b) {
        String x = singular(a);
        String y = singular(b);
        if (x.equals(y)) {
            return true;
        }
        return x.length() >= 5 && y.length() >= 5 && x.regionMatches(0, y, 0, 5);
    }

    /**
     * Whether a word is the key word or a typo of it, one edit away (a letter missing, added, changed, or two swapped:
     * "soluton", "sollution", "slove"); only for key words of five letters or more, where one edit is not another word.
     */
    static boolean typoOf(String word, String key) {
        if (word.equals(key)) {
            return true;
        }
        if (key.length() < 5 || Math.abs(word.length() - key.length()) > 1) {
            return false;
        }
        return distance(word, key) <= 1;
    }

    /** A word's key for counting in how many exercises it occurs: singular, first five letters. */
    static String stem(String w) {
        String x = singular(w);
        return x.length() > 5 ? x.substring(0, 5) : x;
    }

    private static String singular(String w) {
        return w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w;
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
