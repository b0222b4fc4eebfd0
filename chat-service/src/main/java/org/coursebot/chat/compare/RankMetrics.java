package org.coursebot.chat.compare;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The arithmetic of the comparison: page identity, Jaccard overlap and the rank of the expected page. */
public final class RankMetrics {

    private RankMetrics() {
    }

    /** The url without its fragment: the page a citation points into. */
    public static String page(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }

    /** |A ∩ B| / |A ∪ B| of the cited pages; two empty lists agree completely. */
    public static double jaccard(List<RankedHit> a, List<RankedHit> b) {
        Set<String> pa = pages(a);
        Set<String> pb = pages(b);
        Set<String> union = new LinkedHashSet<>(pa);
        union.addAll(pb);
        if (union.isEmpty()) {
            return 1.0;
        }
        pa.retainAll(pb);
        return (double) pa.size() / union.size();
    }

    /**
     * The 1-based rank of the first hit on the expected page, or 0. A hit matches when its page equals the
     * expected page (fragments ignored), when it equals an expected url with a fragment exactly, or, for an
     * expected url given as a path ({@code /part1/a/}), when its page has that path.
     */
    public static int rank(List<RankedHit> hits, String expectedUrl) {
        for (int i = 0; i < hits.size(); i++) {
            if (matches(hits.get(i).url(), expectedUrl)) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * hit@1, hit@5 and MRR of result lists against their expected urls (same order), over the lists that have an
     * expected url; all 0 when none has.
     */
    public static Quality quality(List<List<RankedHit>> results, List<String> expectedUrls) {
        double hit1 = 0;
        double hit5 = 0;
        double mrr = 0;
        int expected = 0;
        for (int i = 0; i < results.size(); i++) {
            String url = expectedUrls.get(i);
            if (url == null || url.isBlank()) {
                continue;
            }
            int rank = rank(results.get(i), url);
            expected++;
            hit1 += rank == 1 ? 1 : 0;
            hit5 += rank >= 1 && rank <= 5 ? 1 : 0;
            mrr += rank == 0 ? 0 : 1.0 / rank;
        }
        int n = Math.max(1, expected);
        return new Quality(hit1 / n, hit5 / n, mrr / n);
    }

    /** One search's quality over a question set (see {@link #quality}). */
    public record Quality(double hit1, double hit5, double mrr) {
    }

    public static boolean matches(String url, String expectedUrl) {
        if (url == null || expectedUrl == null) {
            return false;
        }
        if (url.equals(expectedUrl) || page(url).equals(page(expectedUrl))) {
            return true;
        }
        return expectedUrl.startsWith("/") && page(expectedUrl).equals(path(page(url)));
    }

    private static String path(String url) {
        try {
            String p = URI.create(url).getRawPath();
            return p == null || p.isEmpty() ? "/" : p;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static Set<String> pages(List<RankedHit> hits) {
        Set<String> pages = new LinkedHashSet<>();
        hits.forEach(h -> pages.add(page(h.url())));
        return pages;
    }
}
