package org.coursebot.ingest.extract;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * The citation rule: a heading is cited as {@code page#id} only when a browser opening that URL lands on the
 * heading; otherwise as the bare page URL. Ids are never made up.
 *
 * <p>Candidates, in order: the heading's own id; the first element with an id, or {@code <a name>}, inside the
 * heading; an empty {@code <a id>}/{@code <a name>} immediately before it; the nearest enclosing
 * {@code section}/{@code div} with an id whose first heading it is. A candidate counts only if it is what the
 * fragment resolves to, as the HTML spec finds it: the first element in the page with that id, or, when no element
 * has that id, the first {@code <a>} with that name. One resolver serves one document; it is not thread-safe.
 */
final class CitationResolver {

    private static final String HEADINGS = "h1, h2, h3, h4, h5, h6";

    private final String pageUrl;
    private final Map<String, Element> firstById = new HashMap<>();
    private final Map<String, Element> firstAnchorByName = new HashMap<>();
    private final Map<Element, Element> previousHeading = new IdentityHashMap<>();

    CitationResolver(Document page, String pageUrl) {
        this.pageUrl = withoutFragment(pageUrl);
        for (Element e : page.select("[id], a[name]")) {
            String id = e.id();
            if (!id.isEmpty()) {
                firstById.putIfAbsent(id, e);
            }
            if (e.nameIs("a") && !e.attr("name").isEmpty()) {
                firstAnchorByName.putIfAbsent(e.attr("name"), e);
            }
        }
        Element previous = null;
        for (Element h : page.select(HEADINGS)) {
            previousHeading.put(h, previous);
            previous = h;
        }
    }

    /** The page URL, without any fragment it came with. */
    String pageUrl() {
        return pageUrl;
    }

    /** The URL that lands on {@code heading}: {@code page#fragment}, or the bare page URL. */
    String urlFor(Element heading) {
        String fragment = fragmentFor(heading);
        return fragment == null ? pageUrl : pageUrl + "#" + encodeFragment(fragment);
    }

    /** The unencoded fragment that lands on {@code heading}, or null when none does. */
    String fragmentFor(Element heading) {
        String value = accepted(heading, heading.id());
        if (value == null) {
            value = insideHeading(heading);
        }
        if (value == null) {
            value = anchorBefore(heading);
        }
        if (value == null) {
            value = enclosingContainer(heading);
        }
        return value;
    }

    private String insideHeading(Element heading) {
        for (Element e : heading.getAllElements()) {
            if (e == heading) {
                continue;
            }
            String value = accepted(e, e.id());
            if (value == null && e.nameIs("a")) {
                value = accepted(e, e.attr("name"));
            }
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private String anchorBefore(Element heading) {
        Node n = heading.previousSibling();
        while (n instanceof Comment || (n instanceof TextNode t && t.isBlank())) {
            n = n.previousSibling();
        }
        if (!(n instanceof Element a) || !a.nameIs("a") || !a.text().isBlank() || a.childrenSize() > 0) {
            return null;
        }
        String value = accepted(a, a.id());
        return value != null ? value : accepted(a, a.attr("name"));
    }

    private String enclosingContainer(Element heading) {
        // The heading is the first heading of an ancestor exactly when the previous heading in the page is not
        // inside that ancestor; so climb until the first ancestor that also holds the previous heading.
        Set<Element> stop = ancestorsOf(previousHeading.get(heading));
        for (Element a = heading.parent(); a != null && !stop.contains(a); a = a.parent()) {
            if (a.nameIs("section") || a.nameIs("div")) {
                String value = accepted(a, a.id());
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    private static Set<Element> ancestorsOf(Element e) {
        if (e == null) {
            return Set.of();
        }
        Set<Element> set = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Element a = e.parent(); a != null; a = a.parent()) {
            set.add(a);
        }
        return set;
    }

    /** {@code value} if the fragment {@code #value} resolves to {@code target}, else null. */
    private String accepted(Element target, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Element resolved = firstById.get(value);
        if (resolved == null) {
            resolved = firstAnchorByName.get(value);
        }
        return resolved == target ? value : null;
    }

    /**
     * Percent-encodes a fragment so that browsers decode it back to exactly {@code value}: RFC 3986 fragment
     * characters stay, everything else (space, %, #, quotes, non-ASCII as UTF-8 bytes) becomes %XX.
     */
    static String encodeFragment(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isFragmentChar(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isFragmentChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }

    static String withoutFragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }
}
