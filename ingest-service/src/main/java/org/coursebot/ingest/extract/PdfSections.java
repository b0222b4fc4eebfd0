package org.coursebot.ingest.extract;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.coursebot.ingest.pdf.PdfText;
import org.coursebot.ingest.pdf.PdfText.Line;
import org.coursebot.ingest.pdf.PdfText.OutlineEntry;
import org.coursebot.ingest.pdf.PdfText.Page;
import org.coursebot.model.ContentType;

/**
 * Cuts a PDF into sections, each on one page and cited to it ({@code file.pdf#page=N}, which the PDF viewers of
 * Chromium and Firefox open at that page): a link that lands where the text is, as the citation rule wants of HTML.
 * Where the headings come from, in order of trust:
 * <ol>
 * <li>the document outline (bookmarks): each entry starts a section on its page, at the line that carries its
 * title when there is one, else at the top of the page;</li>
 * <li>no outline, mostly landscape pages (a slide deck): one section a page, titled by its largest-font line(s);</li>
 * <li>no outline, portrait pages (a handout): lines set clearly larger than the body text start sections, a
 * level per size.</li>
 * </ol>
 * A section running over a page break goes on as a section of the next page with the same heading. Each section's
 * title says where it is: "Breakpoints — Debugging Node.js slides, p. 5".
 */
final class PdfSections {

    /** A heading this much larger than the body text (and at least a point) is one. */
    private static final float HEADING_RATIO = 1.15f;
    private static final int MAX_HEADING_CHARS = 150;
    private static final int MAX_HEADING_LINES = 3;
    private static final int MAX_LEVELS = 4;
    private static final Pattern FILE_NAME_TITLE = Pattern.compile("(?i).*\\.(pptx?|docx?|odp|odt|tex|dvi|pdf|key)$");
    private static final Pattern BULLET = Pattern.compile("^([•◦▪▫‣⁃∙·●○■□►▶–—*-]|\\d{1,2}[.)])\\s");

    private final PdfText pdf;
    private final String url;
    private final String documentTitle;
    private final ExerciseMarking exercises;
    private final List<Section> sections = new ArrayList<>();

    /**
     * Where a heading starts: its page, its first line (-1: none found) and how many lines it spans; {@code atTop}:
     * its section starts at the top of the page whatever line its title is on (a slide's title, a bookmark whose
     * title is not in the page's text).
     */
    private record Mark(int page, int line, int lines, String title, int level, String path, boolean atTop) {
    }

    private PdfSections(PdfText pdf, String url, ExerciseMarking exercises) {
        this.pdf = pdf;
        this.exercises = exercises;
        this.url = url;
        this.documentTitle = SectionExtractor.cap(documentTitle(pdf, url));
    }

    /** The PDF's sections, exercises known by the default heading pattern. */
    static List<Section> of(PdfText pdf, String pdfUrl) {
        return of(pdf, pdfUrl, ExerciseMarking.DEFAULTS);
    }

    /**
     * The PDF's sections: the first is the document's own, without text; then one or more a page, in order. A section
     * whose heading matches the course's exercise headings is an exercise (a PDF has no markup for the selector).
     */
    static List<Section> of(PdfText pdf, String pdfUrl, ExerciseMarking exercises) {
        PdfSections cut = new PdfSections(pdf, pdfUrl, exercises);
        cut.sections.add(new Section(0, -1, 0, cut.documentTitle, cut.documentTitle, "", pdfUrl, ContentType.PAGE,
                SectionKind.PAGE));
        List<Mark> marks = !pdf.outline().isEmpty() ? cut.outlineMarks() : cut.slides() ? cut.slideMarks()
                : cut.headingMarks();
        cut.cut(marks, cut.slides());
        return cut.sections;
    }

    /** The metadata title unless it is a file name, else the first page's largest line, else the file's name. */
    static String documentTitle(PdfText pdf, String url) {
        if (pdf.title() != null && !FILE_NAME_TITLE.matcher(pdf.title()).matches()) {
            return pdf.title();
        }
        for (Page page : pdf.pages()) {
            if (!page.lines().isEmpty()) {
                String first = String.join(" ", largestLines(page).stream().map(i -> page.lines().get(i).text()).toList());
                if (!first.isBlank() && first.length() <= MAX_HEADING_CHARS) {
                    return first;
                }
                break;
            }
        }
        String path = url.replaceFirst("[?#].*$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return URLDecoder.decode(name.isEmpty() ? path : name, StandardCharsets.UTF_8);
    }

    /** Most pages wider than high: slides. */
    private boolean slides() {
        long wide = pdf.pages().stream().filter(Page::landscape).count();
        return wide * 2 > pdf.pages().size();
    }

    private List<Mark> outlineMarks() {
        List<Mark> marks = new ArrayList<>();
        Deque<OutlineEntry> ancestors = new ArrayDeque<>();
        int lastPage = 0;
        int lastLine = -1;
        for (OutlineEntry entry : pdf.outline()) {
            while (!ancestors.isEmpty() && ancestors.peek().level() >= entry.level()) {
                ancestors.pop();
            }
            StringBuilder path = new StringBuilder(documentTitle);
            ancestors.descendingIterator().forEachRemaining(a -> path.append(Section.PATH_SEPARATOR).append(a.title()));
            ancestors.push(entry);
            if (entry.page() < lastPage || entry.page() > pdf.pages().size()) {
                continue; // out of page order: a section cannot start before the one already started
            }
            int from = entry.page() == lastPage ? lastLine + 1 : 0;
            int line = find(pdf.pages().get(entry.page() - 1), entry.title(), from);
            if (entry.page() == lastPage && line < 0) {
                line = lastLine; // not found, and an entry on the page is placed: it shares that one's start
            }
            String title = SectionExtractor.cap(entry.title());
            path.append(Section.PATH_SEPARATOR).append(title);
            marks.add(new Mark(entry.page(), line, line < 0 ? 0 : 1, title, Math.min(entry.level(), MAX_LEVELS),
                    path.toString(), line < 0));
            lastPage = entry.page();
            lastLine = line;
        }
        return marks;
    }

    /** The first line from {@code from} on whose words are the title's (or a wrapped part of it); -1 when none. */
    private static int find(Page page, String title, int from) {
        String wanted = words(title);
        for (int i = Math.max(0, from); i < page.lines().size(); i++) {
            String line = words(page.lines().get(i).text());
            if (line.isEmpty()) {
                continue;
            }
            String shorter = line.length() < wanted.length() ? line : wanted;
            String longer = shorter == line ? wanted : line;
            if (longer.contains(shorter) && shorter.length() * 10 >= longer.length() * 6) {
                return i;
            }
        }
        return -1;
    }

    private static String words(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    private List<Mark> slideMarks() {
        List<Mark> marks = new ArrayList<>();
        for (Page page : pdf.pages()) {
            List<Integer> title = largestLines(page);
            if (title.isEmpty()) {
                continue;
            }
            String text = SectionExtractor.cap(String.join(" ", title.stream().map(i -> page.lines().get(i).text()).toList()));
            marks.add(new Mark(page.number(), title.get(0), title.size(), text, 1,
                    documentTitle + Section.PATH_SEPARATOR + text, true));
        }
        return marks;
    }

    /** The first run of lines set in the page's largest size (a title that wraps), at most three lines. */
    private static List<Integer> largestLines(Page page) {
        float largest = page.largestFontSize();
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i < page.lines().size(); i++) {
            boolean large = page.lines().get(i).fontSize() >= largest - 0.5f;
            if (large && run.size() < MAX_HEADING_LINES) {
                run.add(i);
            } else if (!run.isEmpty()) {
                break;
            }
        }
        return run;
    }

    private List<Mark> headingMarks() {
        float body = bodySize();
        TreeSet<Float> sizes = new TreeSet<>();
        for (Page page : pdf.pages()) {
            for (Line line : page.lines()) {
                if (isHeading(line, body)) {
                    sizes.add(line.fontSize());
                }
            }
        }
        List<Float> bySize = new ArrayList<>(sizes.descendingSet());
        List<Mark> marks = new ArrayList<>();
        List<String> path = new ArrayList<>();
        for (Page page : pdf.pages()) {
            List<Line> lines = page.lines();
            for (int i = 0; i < lines.size(); i++) {
                if (!isHeading(lines.get(i), body)) {
                    continue;
                }
                int n = 1;
                while (n < MAX_HEADING_LINES && i + n < lines.size() && lines.get(i + n).fontSize() == lines.get(i).fontSize()
                        && !lines.get(i + n).paragraphStart()) {
                    n++;
                }
                StringBuilder title = new StringBuilder();
                for (int k = i; k < i + n; k++) {
                    title.append(k == i ? "" : " ").append(lines.get(k).text());
                }
                int level = Math.min(bySize.indexOf(lines.get(i).fontSize()) + 1, MAX_LEVELS);
                while (path.size() >= level) {
                    path.remove(path.size() - 1);
                }
                String text = SectionExtractor.cap(title.toString());
                path.add(text);
                marks.add(new Mark(page.number(), i, n, text, level,
                        documentTitle + Section.PATH_SEPARATOR + String.join(Section.PATH_SEPARATOR, path), false));
                i += n - 1;
            }
        }
        return marks;
    }

    private static boolean isHeading(Line line, float body) {
        return line.fontSize() >= body * HEADING_RATIO && line.fontSize() >= body + 1
                && line.text().length() <= MAX_HEADING_CHARS && line.text().codePoints().anyMatch(Character::isLetter);
    }

    /** The size most of the text is set in. */
    private float bodySize() {
        Map<Float, Long> characters = new HashMap<>();
        for (Page page : pdf.pages()) {
            for (Line line : page.lines()) {
                characters.merge(line.fontSize(), (long) line.text().length(), Long::sum);
            }
        }
        return characters.entrySet().stream().max(Map.Entry.<Float, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(0f);
    }

    /** Walks the pages line by line, starting a section at each mark and again at each page a section runs onto. */
    private void cut(List<Mark> marks, boolean slides) {
        int next = 0;
        Mark current = null;
        for (Page page : pdf.pages()) {
            while (next < marks.size() && marks.get(next).page() == page.number() && marks.get(next).atTop()) {
                current = marks.get(next++);
            }
            Piece piece = new Piece(page.number(), current, slides);
            List<Line> lines = page.lines();
            for (int i = 0; i < lines.size(); i++) {
                if (piece.isTitle(i)) {
                    continue;
                }
                if (next < marks.size() && marks.get(next).page() == page.number() && marks.get(next).line() == i) {
                    add(piece);
                    current = marks.get(next++);
                    // bookmarks placed on the same line (nested entries sharing a start) give way to the last one
                    while (next < marks.size() && marks.get(next).page() == page.number() && marks.get(next).line() == i) {
                        current = marks.get(next++);
                    }
                    piece = new Piece(page.number(), current, slides);
                    i += current.lines() - 1;
                    continue;
                }
                piece.add(lines.get(i));
            }
            add(piece);
        }
    }

    private void add(Piece piece) {
        String content = piece.content();
        Mark mark = piece.mark;
        if (content.isEmpty() && piece.slides && mark != null && mark.page() == piece.page) {
            content = mark.title(); // a title-only slide (a divider) still answers with its title, on its page
        }
        if (content.isEmpty()) {
            return;
        }
        String heading = mark == null ? "" : mark.title();
        String path = mark == null ? documentTitle : mark.path();
        int level = mark == null ? 1 : mark.level();
        ContentType type = SectionKind.ofTitle(heading, level, exercises);
        sections.add(new Section(sections.size(), 0, level, title(heading, piece.page), path, content,
                url + "#page=" + piece.page, type, SectionKind.importance(type, level)));
    }

    /** "Heading — Document, p. 4", or "Document, p. 4" for text before any heading. */
    private String title(String heading, int page) {
        String where = documentTitle + ", p. " + page;
        return heading.isEmpty() || heading.equals(documentTitle) ? where : heading + " — " + where;
    }

    /** A section's lines on one page. */
    private static final class Piece {
        final int page;
        final Mark mark;
        final boolean slides;
        final List<String> paragraphs = new ArrayList<>();
        final StringBuilder paragraph = new StringBuilder();

        Piece(int page, Mark mark, boolean slides) {
            this.page = page;
            this.mark = mark;
            this.slides = slides;
        }

        /** Whether line {@code i} is this page's own title, kept out of the text (it is in the heading path). */
        boolean isTitle(int i) {
            return mark != null && mark.atTop() && mark.page() == page && i >= mark.line() && i < mark.line() + mark.lines();
        }

        /** Slides keep their lines (each a point); prose lines join, a bullet starts a line of its own. */
        void add(Line line) {
            if (line.paragraphStart()) {
                endParagraph();
            }
            if (paragraph.length() > 0) {
                paragraph.append(slides || BULLET.matcher(line.text()).find() ? "\n" : " ");
            }
            paragraph.append(line.text());
        }

        private void endParagraph() {
            if (paragraph.length() > 0) {
                paragraphs.add(paragraph.toString());
                paragraph.setLength(0);
            }
        }

        String content() {
            endParagraph();
            return String.join("\n\n", paragraphs);
        }
    }
}
