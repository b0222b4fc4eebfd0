package org.coursebot.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Builds a Carpentries lesson (The Carpentries Workbench's Markdown: {@code config.yaml}, {@code index.md},
 * {@code episodes/}, {@code learners/}) into a static site shaped like the one the Workbench publishes: one page per
 * episode ({@code 01-intro.html}), ids on the headings, callouts and challenges as {@code <div class="callout …">}
 * carrying the id of their title, solutions folded into their challenge, instructor notes left out (they are not on
 * the learners' site). It is the third evaluation course (deploy/shell-course): a real course nobody here wrote, whose
 * text is not in the repository, so it is built from a checkout of the lesson on the machine that evaluates.
 *
 * <p>Usage: {@code LessonSite LESSON_DIR OUT_DIR} (deploy/shell-course/build.sh calls it).
 */
final class LessonSite {

    /** A Workbench fenced div: {@code ::::: challenge} opens, a line of colons alone closes. */
    private static final Pattern OPEN_DIV = Pattern.compile("^:{3,}\\s*([a-zA-Z-]+)\\s*:*\\s*$");
    private static final Pattern CLOSE_DIV = Pattern.compile("^:{3,}\\s*$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    /** {@code ![](fig/x.svg){alt='…'}}: pandoc's attribute, which CommonMark would print as text. */
    private static final Pattern IMAGE_ALT = Pattern.compile("!\\[]\\(([^)]+)\\)\\{alt=(['\"])(.*?)\\2}", Pattern.DOTALL);
    /** {@code [absolute path]{#absolute-path}}: a pandoc span with an id (the glossary's terms). */
    private static final Pattern SPAN_ID = Pattern.compile("\\[([^\\]]+)]\\{#([\\w-]+)}");

    record Page(String file, String source, String title) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LessonSite LESSON_DIR OUT_DIR");
            System.exit(2);
        }
        Path lesson = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Page> pages = pages(lesson);
        String lessonTitle = configValue(lesson, "title");
        String source = configValue(lesson, "source");
        Files.createDirectories(out);
        Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(List.of(TablesExtension.create())).build();
        int words = 0;
        for (Page page : pages) {
            String markdown = prepare(body(Files.readString(lesson.resolve(page.source()))));
            Document html = Jsoup.parse(template(lessonTitle, source, pages, page), "");
            Element main = html.getElementById("main-content");
            main.append(renderer.render(parser.parse(markdown)));
            addIds(main);
            Files.writeString(out.resolve(page.file()), html.outerHtml());
            words += main.text().split("\\s+").length;
        }
        Path figures = lesson.resolve("episodes/fig");
        if (Files.isDirectory(figures)) {
            Files.createDirectories(out.resolve("fig"));
            try (Stream<Path> files = Files.list(figures)) {
                for (Path f : files.filter(f -> f.toString().matches(".*\\.(svg|png)$")).toList()) {
                    Files.copy(f, out.resolve("fig").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d pages, %d words in their main content, written to %s%n",
                lessonTitle, pages.size(), words, out);
    }

    /** The home page, the episodes in config.yaml's order, then the learners' pages that exist. */
    static List<Page> pages(Path lesson) throws IOException {
        List<Page> pages = new ArrayList<>();
        pages.add(new Page("index.html", "index.md", "Summary and Setup"));
        for (String episode : configList(lesson, "episodes")) {
            String file = "episodes/" + episode;
            pages.add(new Page(episode.replaceFirst("\\.md$", ".html"), file, frontMatterTitle(lesson.resolve(file))));
        }
        for (String learner : List.of("setup.md", "reference.md", "discuss.md")) {
            Path file = lesson.resolve("learners").resolve(learner);
            if (Files.exists(file)) {
                pages.add(new Page(learner.replaceFirst("\\.md$", ".html"), "learners/" + learner, frontMatterTitle(file)));
            }
        }
        return pages;
    }

    /**
     * Workbench Markdown as CommonMark: fenced divs become HTML blocks (callouts with their title as an h3, solutions
     * folded into a details element, instructor notes and their contents dropped), pandoc attributes on images and
     * spans become what they mean, links to other episodes' .md files point at their .html pages.
     */
    static String prepare(String markdown) {
        String text = IMAGE_ALT.matcher(markdown).replaceAll(m -> Matcher.quoteReplacement("![" + m.group(3).replaceAll("\\s+", " ") + "](" + m.group(1) + ")"));
        text = SPAN_ID.matcher(text).replaceAll("<span id=\"$2\">$1</span>");
        text = text.replaceAll("\\]\\(([\\w-]+)\\.md(#[\\w-]+)?\\)", "]($1.html$2)");
        StringBuilder out = new StringBuilder();
        List<String> open = new ArrayList<>();
        boolean inFence = false;
        boolean titlePending = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
            }
            boolean dropped = open.contains("instructor");
            Matcher opening = inFence ? null : OPEN_DIV.matcher(line);
            if (opening != null && opening.matches()) {
                String kind = opening.group(1).toLowerCase(Locale.ROOT);
                open.add(kind);
                if (!dropped && !kind.equals("instructor")) {
                    out.append('\n').append(switch (kind) {
                        case "solution", "hint" -> "<details class=\"" + kind + "\"><summary>Show me the " + kind + "</summary>";
                        default -> "<div class=\"callout" + (kind.equals("callout") ? "" : " " + kind) + "\">";
                    }).append("\n\n");
                    titlePending = !kind.equals("solution") && !kind.equals("hint");
                    if (kind.equals("objectives") || kind.equals("questions") || kind.equals("keypoints")) {
                        out.append("### ").append(switch (kind) {
                            case "objectives" -> "Objectives";
                            case "questions" -> "Questions";
                            default -> "Key Points";
                        }).append("\n\n");
                        titlePending = false;
                    }
                }
                continue;
            }
            if (!inFence && CLOSE_DIV.matcher(line).matches() && !open.isEmpty()) {
                String kind = open.remove(open.size() - 1);
                if (!open.contains("instructor") && !kind.equals("instructor")) {
                    out.append("\n\n").append(kind.equals("solution") || kind.equals("hint") ? "</details>" : "</div>").append("\n\n");
                }
                titlePending = false;
                continue;
            }
            if (dropped) {
                continue;
            }
            Matcher heading = inFence ? null : HEADING.matcher(line);
            if (heading != null && heading.matches() && !open.isEmpty()) {
                String kind = open.get(open.size() - 1);
                if (kind.equals("solution") || kind.equals("hint")) {
                    continue; // "## Solution": the summary says it
                }
                if (titlePending) {
                    out.append("### ").append(heading.group(2)).append('\n');
                    titlePending = false;
                    continue;
                }
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /**
     * Ids as the Workbench gives them: on h2/h3 section headings, and on a callout's div (its title's id) rather than
     * on the title inside it; the first of two equal titles keeps the plain id, the next gets "-1".
     */
    static void addIds(Element main) {
        Map<String, Integer> used = new HashMap<>();
        main.select("[id]").forEach(e -> used.put(e.id(), 1));
        for (Element heading : main.select("h2, h3")) {
            if (heading.hasAttr("id")) {
                continue;
            }
            String id = uniqueId(heading.text(), used);
            Element callout = heading.parent();
            if (callout != null && callout.hasClass("callout") && callout.firstElementChild() == heading) {
                callout.attr("id", id);
                heading.addClass("callout-title");
            } else {
                heading.attr("id", id).addClass("section-heading");
            }
        }
    }

    private static String uniqueId(String text, Map<String, Integer> used) {
        String base = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s_-]", "").trim().replaceAll("\\s+", "-");
        if (base.isEmpty()) {
            base = "section";
        }
        Integer n = used.get(base);
        used.put(base, n == null ? 1 : n + 1);
        return n == null ? base : base + "-" + n;
    }

    private static String template(String lessonTitle, String source, List<Page> pages, Page page) {
        StringBuilder nav = new StringBuilder();
        for (Page p : pages) {
            nav.append("<li><a href=\"").append(p.file()).append('"').append(p == page ? " aria-current=\"page\"" : "")
                    .append('>').append(escape(p.title())).append("</a></li>\n");
        }
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s: %s</title></head>
                <body>
                <header class="site-header"><a href="index.html">%s</a></header>
                <nav class="sidebar" aria-label="Episodes"><ul>
                %s</ul></nav>
                <main id="main-content" class="main-content"><h1>%s</h1>
                </main>
                <footer>This lesson is %s by The Carpentries, licensed under CC BY 4.0, built for Coursebot's evaluation
                from its source: <a href="%s">%s</a>.</footer>
                </body></html>
                """.formatted(escape(lessonTitle), escape(page.title()), escape(lessonTitle), nav, escape(page.title()),
                escape(lessonTitle), source, source);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The Markdown after the YAML front matter. */
    private static String body(String markdown) {
        return markdown.startsWith("---") ? markdown.substring(markdown.indexOf("\n---", 3) + 4) : markdown;
    }

    private static String frontMatterTitle(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("title:")) {
                return unquote(line.substring(6));
            }
        }
        return file.getFileName().toString();
    }

    private static String configValue(Path lesson, String key) throws IOException {
        for (String line : Files.readAllLines(lesson.resolve("config.yaml"))) {
            if (line.startsWith(key + ":")) {
                return unquote(line.substring(key.length() + 1));
            }
        }
        throw new IOException("config.yaml has no " + key);
    }

    /** A top-level list of config.yaml ({@code episodes:} followed by {@code - 01-intro.md} lines). */
    private static List<String> configList(Path lesson, String key) throws IOException {
        List<String> values = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(lesson.resolve("config.yaml"))) {
            if (line.startsWith(key + ":")) {
                in = true;
            } else if (in && line.startsWith("- ")) {
                values.add(unquote(line.substring(2)));
            } else if (in && !line.isBlank()) {
                break;
            }
        }
        return values;
    }

    private static String unquote(String value) {
        return value.trim().replaceAll("^['\"]|['\"]$", "");
    }
}
