package org.coursebot.ingest.extract;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.coursebot.model.ContentType;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Walks a page's main content into sections along its h1–h4 headings. The walk is jsoup's iterative traversal,
 * never recursion, so any nesting depth is safe. One instance extracts one page.
 *
 * <p>A heading that opens a box of its own (a callout, a challenge, an aside, a nested {@code <section>}: an element
 * whose text starts with the heading, goes on after it, and holds no other heading of its level or above) makes a
 * section that ends with the box: the text after the box belongs to the section the box sits in again. Without it,
 * everything after a lesson's "Note" box until the next heading was that note's text, and cited to it.
 *
 * <p>An exercise's solution ({@link ExerciseMarking#solutions}, policy guide) inside an exercise section or box is
 * left out: a solution box with its text and headings, or a solution heading with its section (until the next heading
 * of its level or above, or the end of its box). What follows it is the exercise's, or its container's, as before.
 */
final class SectionExtractor implements NodeFilter {

    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "header", "footer",
            "blockquote", "figure", "figcaption", "h5", "h6", "hr", "details", "summary", "address", "center",
            "fieldset", "form", "nav", "aside", "caption", "legend", "dialog", "hgroup", "search");
    private static final Set<String> LISTS = Set.of("ul", "ol", "dl", "menu");
    private static final Set<String> ITEMS = Set.of("li", "dt", "dd");
    private static final int MAX_TITLE_CHARS = 300;

    private final MainContent main;
    private final CitationResolver citations;
    private final ExerciseMarking exercises;
    private final List<Open> sections = new ArrayList<>();
    private final Deque<Open> stack = new ArrayDeque<>();
    private final Map<Element, Integer> listCounters = new IdentityHashMap<>();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private Open writing;
    private int listDepth;
    private int tableDepth;

    private SectionExtractor(Document page, String pageUrl, String mainSelector, ExerciseMarking exercises) {
        this.main = MainContent.locate(page, mainSelector);
        this.exercises = exercises;
        this.citations = new CitationResolver(page, pageUrl);
        String title = page.title().strip();
        Open root = new Open(0, -1, 0, title.isEmpty() ? citations.pageUrl() : cap(title), citations.pageUrl(),
                null, ContentType.PAGE);
        sections.add(root);
        stack.push(root);
        writing = root;
    }

    /** The page's sections in document order, exercises marked the default way; the first is the page section. */
    static List<Section> extract(Document page, String pageUrl, String mainSelector) {
        return extract(page, pageUrl, mainSelector, ExerciseMarking.DEFAULTS);
    }

    /** The page's sections in document order, exercises marked as the course says; the first is the page section. */
    static List<Section> extract(Document page, String pageUrl, String mainSelector, ExerciseMarking exercises) {
        SectionExtractor walk = new SectionExtractor(page, pageUrl, mainSelector, exercises);
        NodeTraversor.filter(walk, walk.main.root());
        List<Section> result = new ArrayList<>(walk.sections.size());
        for (Open s : walk.sections) {
            result.add(s.close());
        }
        return result;
    }

    @Override
    public FilterResult head(Node node, int depth) {
        if (node instanceof TextNode t) {
            current().text.text(t.getWholeText());
            return FilterResult.CONTINUE;
        }
        if (!(node instanceof Element e)) {
            return FilterResult.SKIP_ENTIRELY;
        }
        if (main.isExcluded(e)) {
            return FilterResult.SKIP_ENTIRELY;
        }
        String tag = e.normalName();
        SectionText text = current().text;
        if (exercises.isSolution(e) && inExercise(e)) {
            if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '4') {
                withhold(e, tag.charAt(1) - '0');
            } else {
                blockBreak(text); // the text around it does not run together; its tail is not called
            }
            return FilterResult.SKIP_ENTIRELY;
        }
        switch (tag) {
            case "h1", "h2", "h3", "h4" -> {
                return heading(e, tag.charAt(1) - '0');
            }
            case "pre", "listing", "xmp", "plaintext" -> {
                text.verbatim(e.wholeText());
                return FilterResult.SKIP_ENTIRELY;
            }
            case "br" -> {
                if (tableDepth > 0) {
                    text.space();
                } else {
                    text.lineBreak();
                }
            }
            case "table" -> {
                if (tableDepth++ == 0) {
                    text.paragraphBreak();
                }
            }
            case "tr" -> text.lineBreak();
            case "td", "th" -> text.cell();
            default -> openBlock(e, tag, text);
        }
        return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
        if (!(node instanceof Element e)) {
            return FilterResult.CONTINUE;
        }
        String tag = e.normalName();
        SectionText text = current().text;
        while (!scopes.isEmpty() && scopes.peek().box() == e) {
            Scope closed = scopes.pop();
            stack.clear();
            closed.stack().forEach(stack::addLast);
            writing = closed.resumed();
            text.paragraphBreak();
            text = writing.text;
        }
        if (LISTS.contains(tag)) {
            listDepth--;
            blockBreak(text);
        } else if (tag.equals("table")) {
            if (--tableDepth == 0) {
                text.paragraphBreak();
            }
        } else if (ITEMS.contains(tag) || tag.equals("tr")) {
            text.lineBreak();
        } else if (BLOCKS.contains(tag)) {
            blockBreak(text);
        }
        return FilterResult.CONTINUE;
    }

    private void openBlock(Element e, String tag, SectionText text) {
        if (LISTS.contains(tag)) {
            blockBreak(text);
            listDepth++;
        } else if (tag.equals("li")) {
            text.item(itemPrefix(e));
        } else if (tag.equals("dt") || tag.equals("dd")) {
            text.item("  ".repeat(Math.max(0, listDepth - 1)) + (tag.equals("dd") ? "  " : ""));
        } else if (BLOCKS.contains(tag)) {
            blockBreak(text);
        }
    }

    private String itemPrefix(Element li) {
        String indent = "  ".repeat(Math.max(0, listDepth - 1));
        Element list = li.parent();
        if (list != null && list.normalName().equals("ol")) {
            int n = listCounters.merge(list, 1, Integer::sum);
            return indent + n + ". ";
        }
        return indent + "- ";
    }

    private void blockBreak(SectionText text) {
        if (tableDepth > 0) {
            text.space();
        } else if (listDepth > 0) {
            text.lineBreak();
        } else {
            text.paragraphBreak();
        }
    }

    private FilterResult heading(Element h, int level) {
        boolean malformed = h.selectFirst("p, div, ul, ol, table, pre, blockquote, section") != null;
        String title = HeadingTitle.of(h, malformed);
        if (title.isEmpty()) {
            // Nothing to call it by: its text, if any, stays with the section it is in.
            return FilterResult.SKIP_ENTIRELY;
        }
        title = cap(title);
        Open root = sections.get(0);
        if (level == 1 && sections.size() == 1 && root.heading == null) {
            root.claim(h, title, citations.urlFor(h));
        } else {
            openSection(h, level, title);
        }
        // A heading that swallowed blocks (an unclosed <h2>) still contributes them as text.
        return malformed ? FilterResult.CONTINUE : FilterResult.SKIP_ENTIRELY;
    }

    private void openSection(Element h, int level, String title) {
        while (stack.peek().level >= level) {
            stack.pop();
        }
        Open parent = stack.peek();
        if (parent.withheld) {
            withhold(h, level);
            return;
        }
        ContentType type = SectionKind.of(h, title, level, parent.type == ContentType.PAGE ? null : parent.type,
                main.root(), exercises);
        Open s = new Open(sections.size(), parent.index, level, title, citations.urlFor(h), h, type);
        s.parentPath = parent.path();
        Element box = boxOf(h, level, type);
        if (box != null) {
            scopes.push(new Scope(box, writing, List.copyOf(stack)));
        }
        sections.add(s);
        stack.push(s);
        writing = s;
    }

    /** A solution's heading, or one under it: a section whose text goes nowhere, and which is no section. */
    private void withhold(Element h, int level) {
        while (stack.peek().level >= level) {
            stack.pop();
        }
        Open s = new Open(-1, -1, level, "", null, h, ContentType.EXERCISE);
        s.withheld = true;
        Element box = boxOf(h, level, ContentType.EXERCISE);
        if (box != null) {
            scopes.push(new Scope(box, writing, List.copyOf(stack)));
        }
        stack.push(s);
        writing = s;
    }

    /** Whether an element is in an exercise: the section being written is one, or it sits in an exercise box. */
    private boolean inExercise(Element e) {
        return writing.type == ContentType.EXERCISE || SectionKind.inExerciseBox(e, main.root(), exercises);
    }

    /** The element whose section the heading's is, if the heading opens one ({@link SectionExtractor}), else null. */
    private Element boxOf(Element h, int level, ContentType type) {
        Element box = h.parent();
        if (box == null || box == main.root() || !BLOCKS.contains(box.normalName())) {
            return null;
        }
        // Siblings in order, stopping at the first with text: a wrapper's later headings stop at its first child,
        // and only the first heading of a box reads one sibling after it (this runs for every heading of a page).
        boolean textAfter = false;
        boolean before = true;
        for (Node sibling : box.childNodes()) {
            if (sibling == h) {
                before = false;
            } else if (hasText(sibling)) {
                if (before) {
                    return null;
                }
                textAfter = true;
                break;
            }
        }
        if (!textAfter) {
            return null;
        }
        // An exercise's solution is left out, its headings with it: they do not end the exercise's box.
        boolean solutionsLeftOut = type == ContentType.EXERCISE;
        for (Element other : box.select("h1, h2, h3, h4")) {
            if (other != h && other.normalName().charAt(1) - '0' <= level
                    && !(solutionsLeftOut && exercises.inSolution(other, box))) {
                return null;
            }
        }
        return box;
    }

    private static boolean hasText(Node node) {
        return node instanceof TextNode t ? !t.isBlank() : node instanceof Element e && !e.text().isBlank();
    }

    private Open current() {
        return writing;
    }

    /** A section bounded by its box: when the box ends, {@code resumed} is written again, under {@code stack}. */
    private record Scope(Element box, Open resumed, List<Open> stack) {
    }

    static String cap(String title) {
        if (title.length() <= MAX_TITLE_CHARS) {
            return title;
        }
        int cut = title.lastIndexOf(' ', MAX_TITLE_CHARS);
        return title.substring(0, cut > MAX_TITLE_CHARS / 2 ? cut : MAX_TITLE_CHARS) + "…";
    }

    /** A section while its text is being collected. */
    private static final class Open {
        final int index;
        final int parent;
        final int level;
        final SectionText text = new SectionText();
        final ContentType type;
        String title;
        String url;
        Element heading;
        String parentPath;
        /** A solution left out (policy guide): its text is collected but never part of a section. */
        boolean withheld;

        Open(int index, int parent, int level, String title, String url, Element heading, ContentType type) {
            this.index = index;
            this.parent = parent;
            this.level = level;
            this.title = title;
            this.url = url;
            this.heading = heading;
            this.type = type;
        }

        void claim(Element h1, String h1Title, String h1Url) {
            heading = h1;
            title = h1Title;
            url = h1Url;
        }

        String path() {
            return parentPath == null ? title : parentPath + Section.PATH_SEPARATOR + title;
        }

        Section close() {
            ContentType finalType = SectionKind.refine(type, heading, text.isOnlyCode());
            return new Section(index, parent, level, title, path(), text.content(), url, finalType,
                    SectionKind.importance(finalType, level));
        }
    }
}
