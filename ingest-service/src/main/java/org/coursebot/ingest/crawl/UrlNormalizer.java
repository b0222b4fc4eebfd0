package org.coursebot.ingest.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns the many spellings of one page's URL into one: lower-case scheme and host, no default port, no
 * fragment, no user info, dot segments removed, a trailing {@code index.html} (or {@code .htm}) replaced by its
 * folder, and tracking parameters ({@code utm_*}, {@code fbclid}, {@code gclid}...) dropped. Other query
 * parameters keep their order. Only http and https URLs are accepted.
 */
public final class UrlNormalizer {

    private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid",
            "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "yclid");

    private UrlNormalizer() {
    }

    /** The normalised form of an absolute http(s) URL, or empty when it is not one. */
    public static Optional<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(escapeIllegal(raw.strip())).normalize();
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return Optional.empty();
            }
            StringBuilder out = new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
            int port = uri.getPort();
            if (port != -1 && !(port == 80 && scheme.equals("http")) && !(port == 443 && scheme.equals("https"))) {
                out.append(':').append(port);
            }
            out.append(path(uri.getRawPath()));
            String query = query(uri.getRawQuery());
            if (!query.isEmpty()) {
                out.append('?').append(query);
            }
            return Optional.of(out.toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Resolves a possibly relative reference against a base URL, then normalises it. */
    public static Optional<String> resolve(String base, String reference) {
        try {
            return normalize(new URI(escapeIllegal(base)).resolve(escapeIllegal(reference.strip())).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String path(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        while (path.startsWith("/../")) {
            path = path.substring(3);
        }
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (last.equals("index.html") || last.equals("index.htm")) {
            path = path.substring(0, slash + 1);
        }
        return path;
    }

    private static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringJoiner kept = new StringJoiner("&");
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty() && !isTracking(pair)) {
                kept.add(pair);
            }
        }
        return kept.toString();
    }

    private static boolean isTracking(String pair) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT);
        return name.startsWith("utm_") || TRACKING.contains(name);
    }

    /** Percent-encodes what browsers tolerate in hrefs but {@link URI} rejects: spaces, non-ASCII, stray '%'. */
    static String escapeIllegal(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        boolean fragment = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && !(i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2)))) {
                out.append("%25");
            } else if (c == '#' && fragment || c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
                i = end - 1;
            } else {
                fragment |= c == '#';
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
