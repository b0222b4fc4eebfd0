package org.coursebot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a synthetic course site of N pages (static HTML as a site generator emits it, with nav, an index
 * and ids on some headings) for pipeline tests and benchmarks. Deterministic for a given seed.
 * Run as a program: {@code SiteGenerator <dir> <pages> [seed]}.
 */
public final class SiteGenerator {

    private static final String[] WORDS = ("request response server client route handler middleware module package "
            + "dependency function callback promise async await error status header body json query parameter "
            + "database table index transaction connection pool deploy environment variable secret token cache "
            + "test assertion mock fixture browser render component state event listener stream buffer file "
            + "path directory process thread event loop timer schedule retry timeout limit log metric trace")
            .split(" ");

    private SiteGenerator() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: SiteGenerator <dir> <pages> [seed]");
            System.exit(2);
        }
        List<String> paths = generate(Path.of(args[0]), Integer.parseInt(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 1);
        System.out.println(paths.size() + " pages written to " + args[0]);
    }

    /** Writes the site and returns the pages' paths relative to its root, e.g. {@code part1/a/page3.html}. */
    public static List<String> generate(Path root, int pages, long seed) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
            paths.add(path(i));
        }
        for (int i = 0; i < pages; i++) {
            write(root.resolve(paths.get(i)), page(i, paths, new Random(seed * 1_000_003 + i), ""));
        }
        write(root.resolve("index.html"), index(paths));
        return paths;
    }

    /** A home page linking every page, so a crawl from the root reaches them all. */
    private static String index(List<String> paths) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Generated course</title></head><body><main><h1>Generated course</h1><ul>\n");
        paths.forEach(p -> html.append("<li><a href=\"").append(p).append("\">").append(p).append("</a></li>\n"));
        return html.append("</ul></main></body></html>\n").toString();
    }

    /** Rewrites page {@code i} with one paragraph changed, as an author's edit would. */
    public static void edit(Path root, int pages, long seed, int i, String change) {
        List<String> paths = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            paths.add(path(p));
        }
        write(root.resolve(paths.get(i)), page(i, paths, new Random(seed * 1_000_003 + i), change));
    }

    public static String path(int i) {
        return "part" + (i / 100 + 1) + "/" + (char) ('a' + (i / 20) % 5) + "/page" + i + ".html";
    }

    private static String page(int i, List<String> paths, Random random, String change) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Lesson " + i + "</title></head><body>\n<header><a href=\"/\">Generated course</a></header>\n<nav><ul>");
        for (int n = Math.max(0, i - 3); n < Math.min(paths.size(), i + 4); n++) {
            html.append("<li><a href=\"/").append(paths.get(n)).append("\">Lesson ").append(n).append("</a></li>");
        }
        html.append("</ul></nav>\n<main>\n<h1>Lesson ").append(i).append(": ").append(words(random, 3)).append("</h1>\n<p>")
                .append(sentences(random, 3)).append("</p>\n");
        int sections = 3 + random.nextInt(3);
        for (int s = 0; s < sections; s++) {
            String title = words(random, 2 + random.nextInt(2));
            // Every other section has an id, as real sites are inconsistent.
            html.append(s % 2 == 0 ? "<h2 id=\"s" + s + "\">" : "<h2>").append(title).append("</h2>\n");
            int paragraphs = 2 + random.nextInt(4);
            for (int p = 0; p < paragraphs; p++) {
                html.append("<p>").append(sentences(random, 3 + random.nextInt(4)));
                if (s == 0 && p == 0 && !change.isEmpty()) {
                    html.append(' ').append(change);
                }
                html.append("</p>\n");
            }
            if (random.nextInt(3) == 0) {
                html.append("<pre><code>const ").append(WORDS[random.nextInt(WORDS.length)]).append(" = require('")
                        .append(WORDS[random.nextInt(WORDS.length)]).append("');\n</code></pre>\n");
            }
        }
        return html.append("</main>\n<footer>© Generated course</footer>\n</body></html>\n").toString();
    }

    private static String sentences(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String sentence = words(random, 8 + random.nextInt(10));
            s.append(i == 0 ? "" : " ").append(Character.toUpperCase(sentence.charAt(0))).append(sentence.substring(1)).append('.');
        }
        return s.toString();
    }

    private static String words(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
