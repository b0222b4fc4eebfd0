package org.coursebot.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.coursebot.testing.CourseGenerator.PageSpec;
import static org.coursebot.testing.CourseGenerator.PARTS;
import static org.coursebot.testing.CourseGenerator.SITE_TITLE;

/** The site as a page sees it when rendered: which pages exist, their titles, each module's lessons. */
final class SiteView {

    private final Map<String, PageSpec> pages;
    private final Map<String, List<PageSpec>> lessonsByModule = new TreeMap<>();

    SiteView(Map<String, PageSpec> pages) {
        this.pages = pages;
        for (PageSpec page : pages.values()) {
            if (!page.isExercise()) {
                lessonsByModule.computeIfAbsent(page.moduleKey(), k -> new ArrayList<>()).add(page);
            }
        }
    }

    boolean exists(String path) {
        return pages.containsKey(path);
    }

    String title(String path) {
        return pages.get(path).title();
    }

    /** Modules that have lessons, "part/letter", in course order. */
    List<String> modules() {
        return List.copyOf(lessonsByModule.keySet());
    }

    List<PageSpec> lessons(String moduleKey) {
        return lessonsByModule.getOrDefault(moduleKey, List.of());
    }

    /** The first lesson of a part; null when the course is too small to have one there. */
    String firstPage(int part) {
        return lessonsByModule.entrySet().stream().filter(e -> e.getKey().startsWith(part + "/"))
                .map(e -> e.getValue().get(0).path()).findFirst().orElse(null);
    }

    String sitemap(String baseUrl) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        xml.append("  <url><loc>").append(baseUrl).append("</loc></url>\n");
        for (String module : modules()) {
            for (PageSpec page : lessons(module)) {
                xml.append("  <url><loc>").append(baseUrl).append(page.path()).append("</loc></url>\n");
            }
        }
        return xml.append("</urlset>\n").toString();
    }
}

/** Renders one page of the model as a static site generator would, with the chrome every page repeats. */
final class CoursePage {

    private static final String[] LINK_FORMS = {
        " See <a href=\"%s\">%s</a> for %s.",
        " We covered %3$s in <a href=\"%1$s\">%2$s</a>.",
        " The section <a href=\"%s\">%s</a> explains %s in more detail.",
        " Compare this with <a href=\"%s\">%s</a>, where %s works differently.",
    };
    private static final String[] TABLE_HEADERS = {"URL|verb|functionality", "script|command|purpose",
        "status|meaning|when we send it", "term|description|example"};

    private final PageSpec page;
    private final SiteView view;
    private final CourseText.Part part;
    private final StringBuilder html = new StringBuilder(48 * 1024);
    private final Set<String> ids = new HashSet<>();
    /** The h2 headings that have an id, for the aside's "On this page". */
    private final Map<String, String> headingsWithId = new LinkedHashMap<>();
    /** Text a reader sees so far, whitespace collapsed, as the tests measure it: it decides when a page is long enough. */
    private int visible;
    private int paragraphs;
    private int links;

    private CoursePage(PageSpec page, SiteView view) {
        this.page = page;
        this.view = view;
        this.part = CourseText.part(page.part());
    }

    static String render(PageSpec page, SiteView view) {
        CoursePage rendered = new CoursePage(page, view);
        rendered.content(new Random(page.seed()));
        return rendered.document();
    }

    /** The home page: every part's first page and every lesson, grouped by part and module; no exercise page. */
    static String index(SiteView view) {
        StringBuilder out = new StringBuilder(64 * 1024);
        head(out, SITE_TITLE);
        header(out, view);
        out.append("<main id=\"content\">\n<h1>").append(SITE_TITLE).append("</h1>\n<p>This course is an introduction "
                + "to modern web development with JavaScript: single page applications with React, REST APIs with "
                + "Node.js and Express, testing, state management, relational databases and deployment.</p>\n");
        for (int p = 1; p <= PARTS; p++) {
            String first = view.firstPage(p);
            if (first == null) {
                continue;
            }
            out.append("<section class=\"part\">\n<h2 id=\"part-").append(p).append("\">Part ").append(p).append(": ")
                    .append(CourseText.escape(CourseText.part(p).title())).append("</h2>\n<p><a href=\"").append(first)
                    .append("\">Start part ").append(p).append("</a></p>\n<ol>\n");
            for (String module : view.modules()) {
                if (module.startsWith(p + "/")) {
                    out.append("<li>").append(moduleTitle(module)).append("\n<ul>\n");
                    for (PageSpec lesson : view.lessons(module)) {
                        out.append("<li><a href=\"").append(lesson.path()).append("\">")
                                .append(CourseText.escape(lesson.title())).append("</a></li>\n");
                    }
                    out.append("</ul>\n</li>\n");
                }
            }
            out.append("</ol>\n</section>\n");
        }
        out.append("</main>\n");
        footer(out, view);
        return out.append("</body>\n</html>\n").toString();
    }

    private void content(Random random) {
        // Sizes spread like a real course's pages: most near 10 KB, a long tail of long ones.
        int target = (int) Math.min(35 * 1024, 4.5 * 1024 - Math.log(1 - random.nextDouble()) * 9.5 * 1024);
        add("<h1>" + CourseText.escape(page.title()) + "</h1>\n");
        if (page.isExercise()) {
            add("<p>These exercises belong to <a href=\"" + relative(page.path(), page.linkedFrom()) + "\">"
                    + CourseText.escape(view.title(page.linkedFrom())) + "</a>. Submit your solutions to the "
                    + "submission system before the deadline of the part.</p>\n");
        }
        int intro = 2 + random.nextInt(2);
        for (int i = 0; i < intro; i++) {
            paragraph(random);
        }
        for (int sections = 0; sections < 2 || visible < target; sections++) {
            section(2, random, target);
        }
        if (page.exercise() != null && view.exists(page.exercise())) {
            String title = view.title(page.exercise());
            add("<h2 id=\"" + uniqueId(CourseText.slug(title)) + "\">" + CourseText.escape(title) + "</h2>\n<p>The "
                    + "exercises of this section are on a page of their own: <a href=\"" + relative(page.path(),
                    page.exercise()) + "\">" + CourseText.escape(title) + "</a>. Do them before you move on.</p>\n");
        }
    }

    private void section(int level, Random random, int target) {
        String title = CourseText.heading(random, part);
        String id = uniqueId(CourseText.slug(title));
        String heading = "<h" + level + ">" + CourseText.escape(title) + "</h" + level + ">\n";
        int style = random.nextInt(10);
        // Real sites are inconsistent: ids on the heading, on an anchor before it, on a section, or nowhere.
        boolean wrapped = level == 2 && style == 9;
        if (wrapped) {
            add("<section id=\"" + id + "\">\n" + heading);
        } else if (style < 5) {
            add("<h" + level + " id=\"" + id + "\">" + heading.substring(heading.indexOf('>') + 1));
        } else if (style < 8) {
            add(heading);
            id = null;
        } else {
            add("<a id=\"" + id + "\"></a>\n" + heading);
        }
        if (level == 2 && id != null) {
            headingsWithId.put(id, title);
        }
        int paragraphCount = 1 + random.nextInt(level == 2 ? 3 : 2);
        for (int i = 0; i < paragraphCount && (i == 0 || visible < target); i++) {
            paragraph(random);
        }
        int blocks = random.nextInt(3);
        for (int i = 0; i < blocks && visible < target; i++) {
            block(random);
        }
        int subsections = level < 4 ? random.nextInt(level == 2 ? 4 : 3) : 0;
        for (int i = 0; i < subsections && visible < target; i++) {
            section(level + 1, random, target);
        }
        if (wrapped) {
            add("</section>\n");
        }
    }

    private void paragraph(Random random) {
        String text = CourseText.paragraph(random, part);
        String link = link(random);
        int ordinal = paragraphs++;
        if (page.revision() > 0 && ordinal == Math.floorMod(page.seed() + page.revision(), 4)) {
            // An author's edit: counted as the old text, so the rest of the page keeps its shape.
            visible += visibleLength(text);
            text = CourseText.paragraph(new Random(page.seed() * 31 + page.revision()), part);
            visible -= visibleLength(text);
        }
        add("<p>" + text + link + "</p>\n");
    }

    /** A sentence linking another lesson, or nothing; its length counts either way, so a deletion elsewhere
     * changes this page only where the link was. */
    private String link(Random random) {
        if (links >= page.linkTargets().size() || random.nextInt(3) != 0) {
            return "";
        }
        String target = page.linkTargets().get(links++);
        String href = random.nextBoolean() ? "/" + target : relative(page.path(), target);
        String form = CourseText.pick(random, LINK_FORMS);
        String phrase = CourseText.phrase(random, part);
        visible += visibleLength(phrase) + 40;
        if (!view.exists(target)) {
            return "";
        }
        String sentence = String.format(form, href, CourseText.escape(view.title(target)), phrase);
        visible -= visibleLength(sentence);
        return sentence;
    }

    private void block(Random random) {
        int kind = random.nextInt(10);
        if (kind < 5) {
            String[] code = CodeSamples.block(random, part);
            add("<pre><code class=\"language-" + code[0] + "\">" + CourseText.escape(code[1]) + "\n</code></pre>\n");
        } else if (kind < 7) {
            String tag = random.nextBoolean() ? "ul" : "ol";
            StringBuilder list = new StringBuilder("<" + tag + ">\n");
            int items = 3 + random.nextInt(5);
            for (int i = 0; i < items; i++) {
                String item = random.nextBoolean() ? CourseText.sentence(random, part) : CourseText.phrase(random, part);
                list.append("<li>").append(item).append("</li>\n");
            }
            add(list.append("</").append(tag).append(">\n").toString());
        } else if (kind < 9) {
            add(table(random));
        } else {
            String src = (random.nextBoolean() ? "/" : "../../") + "images/part" + page.part() + "/" + page.module()
                    + "-" + (1 + random.nextInt(40)) + ".png";
            String alt = CourseText.escape(CourseText.phrase(random, part).replaceAll("<[^>]*>", ""));
            add(random.nextBoolean() ? "<p><img src=\"" + src + "\" alt=\"" + alt + "\"></p>\n"
                    : "<figure>\n<img src=\"" + src + "\" alt=\"" + alt + "\">\n<figcaption>"
                            + CourseText.sentence(random, part) + "</figcaption>\n</figure>\n");
        }
    }

    private String table(Random random) {
        String[] columns = CourseText.pick(random, TABLE_HEADERS).split("\\|");
        StringBuilder table = new StringBuilder("<table>\n<thead>\n<tr>");
        for (String column : columns) {
            table.append("<th>").append(column).append("</th>");
        }
        table.append("</tr>\n</thead>\n<tbody>\n");
        int rows = 3 + random.nextInt(5);
        for (int r = 0; r < rows; r++) {
            table.append("<tr><td><code>").append(CourseText.escape(CourseText.pick(random, part.code())))
                    .append("</code></td><td>").append(CourseText.phrase(random, part)).append("</td><td>")
                    .append(CourseText.sentence(random, part)).append("</td></tr>\n");
        }
        return table.append("</tbody>\n</table>\n").toString();
    }

    private String document() {
        StringBuilder out = new StringBuilder(html.length() + 8 * 1024);
        head(out, page.title() + " | " + SITE_TITLE);
        header(out, view);
        partNavigation(out);
        out.append("<main id=\"content\">\n<article>\n").append(html).append("</article>\n</main>\n");
        out.append("<aside class=\"page-toc\">\n<p>On this page</p>\n<ul>\n");
        headingsWithId.forEach((id, title) -> out.append("<li><a href=\"#").append(id).append("\">")
                .append(CourseText.escape(title)).append("</a></li>\n"));
        out.append("</ul>\n<p>Found a mistake? <a href=\"mailto:course-staff@example.edu?subject=")
                .append(page.path().replace("/", "%2F")).append("\">Tell the course staff</a>.</p>\n</aside>\n");
        footer(out, view);
        return out.append("</body>\n</html>\n").toString();
    }

    /** The part's table of contents: its modules, and the lessons of this page's module. */
    private void partNavigation(StringBuilder out) {
        out.append("<nav class=\"part-toc\" aria-label=\"Part ").append(page.part()).append(" contents\">\n")
                .append("<p class=\"part-title\">Part ").append(page.part()).append(": ")
                .append(CourseText.escape(part.title())).append("</p>\n<ol class=\"modules\">\n");
        for (String module : view.modules()) {
            if (!module.startsWith(page.part() + "/")) {
                continue;
            }
            List<PageSpec> lessons = view.lessons(module);
            boolean current = module.equals(page.moduleKey());
            out.append(current ? "<li class=\"current\">" : "<li>").append("<a href=\"/").append(lessons.get(0).path())
                    .append("\">").append(moduleTitle(module)).append("</a>");
            if (current) {
                out.append("\n<ul>\n");
                for (PageSpec lesson : lessons) {
                    out.append("<li><a href=\"/").append(lesson.path()).append('"')
                            .append(lesson.path().equals(page.path()) ? " aria-current=\"page\"" : "").append('>')
                            .append(CourseText.escape(lesson.title())).append("</a></li>\n");
                }
                out.append("</ul>\n");
            }
            out.append("</li>\n");
        }
        out.append("</ol>\n</nav>\n");
    }

    private static void head(StringBuilder out, String title) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(CourseText.escape(title)).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/assets/site.css\">\n</head>\n<body>\n")
                .append("<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n");
    }

    private static void header(StringBuilder out, SiteView view) {
        out.append("<header class=\"site-header\">\n<a class=\"site-title\" href=\"/\">").append(SITE_TITLE)
                .append("</a>\n<nav class=\"top-nav\" aria-label=\"Course parts\">\n<ul>\n<li><a href=\"/\">Home</a></li>\n");
        for (int p = 1; p <= PARTS; p++) {
            String first = view.firstPage(p);
            if (first != null) {
                out.append("<li><a href=\"/").append(first).append("\">Part ").append(p).append("</a></li>\n");
            }
        }
        out.append("</ul>\n</nav>\n</header>\n");
    }

    private static void footer(StringBuilder out, SiteView view) {
        String start = view.firstPage(1);
        out.append("<footer class=\"site-footer\">\n<p>© 2025 Department of Computer Science, University of Example. "
                + "The course material is licensed under Creative Commons BY-NC-SA 4.0.</p>\n<ul>\n"
                + "<li><a href=\"/\">Course home</a></li>\n");
        if (start != null) {
            out.append("<li><a href=\"/").append(start).append("\">Start the course</a></li>\n");
        }
        out.append("<li><a href=\"mailto:course-staff@example.edu\">Contact</a></li>\n</ul>\n</footer>\n");
    }

    private static String moduleTitle(String moduleKey) {
        String[] partAndLetter = moduleKey.split("/");
        char letter = partAndLetter[1].charAt(0);
        return letter + " " + CourseText.escape(CourseText.part(Integer.parseInt(partAndLetter[0])).modules()
                .get(letter - 'a'));
    }

    private void add(String fragment) {
        html.append(fragment);
        visible += visibleLength(fragment);
    }

    private String uniqueId(String base) {
        String id = base;
        for (int n = 2; !ids.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** The path of {@code to} relative to the folder of {@code from}, both relative to the site's root. */
    static String relative(String from, String to) {
        String[] fromParts = from.split("/");
        String[] toParts = to.split("/");
        int common = 0;
        while (common < fromParts.length - 1 && common < toParts.length - 1 && fromParts[common].equals(toParts[common])) {
            common++;
        }
        StringBuilder relative = new StringBuilder();
        for (int i = common; i < fromParts.length - 1; i++) {
            relative.append("../");
        }
        return relative.append(String.join("/", Arrays.copyOfRange(toParts, common, toParts.length))).toString();
    }

    /** Characters outside tags, whitespace runs (and tags) counted as one space. */
    static int visibleLength(String fragment) {
        int length = 0;
        boolean inTag = false;
        boolean lastWasSpace = false;
        for (int i = 0; i < fragment.length(); i++) {
            char c = fragment.charAt(i);
            if (inTag) {
                inTag = c != '>';
                if (!inTag && !lastWasSpace) {
                    length++;
                    lastWasSpace = true;
                }
            } else if (c == '<') {
                inTag = true;
            } else if (Character.isWhitespace(c)) {
                if (!lastWasSpace) {
                    length++;
                    lastWasSpace = true;
                }
            } else {
                length++;
                lastWasSpace = false;
            }
        }
        return length;
    }
}
