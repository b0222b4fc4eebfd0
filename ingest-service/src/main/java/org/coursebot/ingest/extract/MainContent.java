package org.coursebot.ingest.extract;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * The part of a page that holds its content, and which elements inside it are left out.
 *
 * <p>The root is the configured selector's first match, else the first {@code main} or {@code [role=main]}, else the
 * {@code article} with the most text, else the body. A candidate with almost no text (a skip link, a teaser) is
 * passed over. Inside any root, scripts, styles, forms without prose, navigation, asides, footers and hidden
 * elements are left out; when the root is the whole body, page headers ({@code header}, {@code [role=banner]}) are
 * too, while a header inside an article usually holds its title and is kept.
 */
final class MainContent {

    /** Less text than this and a main/article candidate is taken for a teaser or a wrapper of nothing. */
    private static final int MIN_CANDIDATE_CHARS = 200;

    private static final Set<String> NEVER_CONTENT = Set.of("script", "style", "noscript", "template", "svg",
            "canvas", "iframe", "object", "embed", "select", "button", "input", "textarea", "head", "title", "meta",
            "link", "dialog", "nav", "aside", "footer");
    private static final Set<String> BOILERPLATE_ROLES = Set.of("navigation", "complementary", "contentinfo",
            "search", "dialog", "alertdialog");

    /** Words page chrome is named by on most sites. */
    private static final String CHROME_WORDS = "(?:comments?|disqus|sidebar|share|sharing|social|related|recommended"
            + "|promo|advert|advertisement|ads?|sponsored|newsletter|subscribe|subscription|cookies?|consent"
            + "|breadcrumbs?|popup|modal|masthead|navbar|menu|toolbar|pagination|pager|skip-link|toc)";
    /** A class that starts with a chrome word ("share-buttons"); "has-sidebar" describes a layout, not chrome. */
    private static final Pattern CHROME_CLASS = Pattern.compile("(?i)" + CHROME_WORDS + "(?:[-_].*)?");
    /** Only a whole-word id: ids made from headings ("sharing-with-a-single-developer") are content. */
    private static final Pattern CHROME_ID = Pattern.compile("(?i)" + CHROME_WORDS);

    private final Element root;
    private final boolean wholeBody;
    private int rootTextLength = -1;

    private MainContent(Element root, boolean wholeBody) {
        this.root = root;
        this.wholeBody = wholeBody;
    }

    static MainContent locate(Document page, String mainSelector) {
        if (mainSelector != null) {
            Element configured = page.selectFirst(mainSelector);
            if (configured != null) {
                return new MainContent(configured, false);
            }
        }
        Element main = firstWithText(page.select("main, [role=main]"));
        if (main != null) {
            return new MainContent(main, false);
        }
        Element article = longest(page.select("article"));
        if (article != null) {
            return new MainContent(article, false);
        }
        Element body = page.body();
        return new MainContent(body != null ? body : page, true);
    }

    Element root() {
        return root;
    }

    /** Whether {@code e} and everything inside it is left out of the content. */
    boolean isExcluded(Element e) {
        if (e == root) {
            return false;
        }
        String tag = e.normalName();
        if (NEVER_CONTENT.contains(tag) || isHidden(e)) {
            return true;
        }
        String role = e.attr("role").toLowerCase(Locale.ROOT);
        if (BOILERPLATE_ROLES.contains(role)) {
            return true;
        }
        if (tag.equals("form")) {
            // ASP.NET-style pages wrap the whole page in one form: keep a form that holds prose.
            return e.selectFirst("p, h1, h2, h3, h4, article") == null;
        }
        if (wholeBody && (tag.equals("header") || role.equals("banner"))) {
            return true;
        }
        return looksLikeChrome(e);
    }

    /**
     * Class or id says sharing bar, comments, related links and the like. Never when it holds the page title
     * or most of the text: some sites give their content wrapper such names.
     */
    private boolean looksLikeChrome(Element e) {
        if (!hasChromeName(e) || e.selectFirst("h1") != null) {
            return false;
        }
        if (rootTextLength < 0) {
            rootTextLength = root.text().length();
        }
        return e.text().length() * 2 < rootTextLength;
    }

    private static boolean hasChromeName(Element e) {
        if (CHROME_ID.matcher(e.id()).matches()) {
            return true;
        }
        for (String name : e.classNames()) {
            if (CHROME_CLASS.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHidden(Element e) {
        if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))) {
            return true;
        }
        String style = e.attr("style");
        if (style.isEmpty()) {
            return false;
        }
        String compact = style.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        return compact.contains("display:none") || compact.contains("visibility:hidden");
    }

    private static Element firstWithText(Elements candidates) {
        for (Element e : candidates) {
            if (e.text().length() >= MIN_CANDIDATE_CHARS) {
                return e;
            }
        }
        return null;
    }

    private static Element longest(Elements candidates) {
        Element best = null;
        int bestLength = MIN_CANDIDATE_CHARS - 1;
        for (Element e : candidates) {
            int length = e.text().length();
            if (length > bestLength) {
                best = e;
                bestLength = length;
            }
        }
        return best;
    }
}
