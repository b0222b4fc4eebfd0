package org.coursebot.ingest.extract;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/** What a heading is called: its visible text, else its images' alt text, else its aria-label; may be empty. */
final class HeadingTitle {

    private static final Set<String> BLOCKS = Set.of("p", "div", "ul", "ol", "table", "pre", "blockquote", "section");
    private static final Set<String> INVISIBLE = Set.of("script", "style", "noscript", "template", "svg", "button");
    /** Permalink glyphs that documentation generators put inside headings (Sphinx's ¶, GitHub's #, §). */
    private static final Pattern PERMALINK_GLYPHS = Pattern.compile("[\\s\u00a0¶#§🔗]*");

    private HeadingTitle() {
    }

    /**
     * @param malformed the heading swallowed block elements (an unclosed tag): only the text before the first
     *                  block counts as its title
     */
    static String of(Element heading, boolean malformed) {
        String text = visibleText(heading, malformed);
        if (!text.isEmpty()) {
            return text;
        }
        StringBuilder alt = new StringBuilder();
        for (Element img : heading.select("img[alt]")) {
            alt.append(' ').append(img.attr("alt"));
        }
        String fromAlt = alt.toString().replaceAll("\\s+", " ").strip();
        return fromAlt.isEmpty() ? heading.attr("aria-label").replaceAll("\\s+", " ").strip() : fromAlt;
    }

    private static String visibleText(Element heading, boolean malformed) {
        StringBuilder out = new StringBuilder();
        NodeTraversor.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.getWholeText());
                } else if (node instanceof Element e && node != heading) {
                    if (malformed && BLOCKS.contains(e.normalName())) {
                        return FilterResult.STOP;
                    }
                    if (INVISIBLE.contains(e.normalName()) || e.hasAttr("hidden")
                            || "true".equals(e.attr("aria-hidden").toLowerCase(Locale.ROOT))) {
                        return FilterResult.SKIP_ENTIRELY;
                    }
                    if (isPermalink(e)) {
                        return FilterResult.SKIP_ENTIRELY;
                    }
                    if (e.normalName().equals("br")) {
                        out.append(' ');
                    }
                }
                return FilterResult.CONTINUE;
            }
        }, heading);
        return out.toString().replaceAll("[\\s\\u00a0]+", " ").strip();
    }

    private static boolean isPermalink(Element e) {
        return e.nameIs("a") && e.attr("href").startsWith("#") && PERMALINK_GLYPHS.matcher(e.text()).matches();
    }
}
