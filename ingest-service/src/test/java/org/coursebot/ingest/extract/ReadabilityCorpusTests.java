package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * All real pages of {@code shared/corpus/readability}: extraction never throws, stays under a second a page, and
 * every fragment it cites resolves. Also measures, and writes to {@code target/extract-bench/}, how much of
 * Readability's {@code expected.html} text the sections keep and how much other text they let in
 * (deploy/bench/extract-bench.sh prints it).
 */
class ReadabilityCorpusTests {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static Path corpus;
    private static final PageChunker CHUNKER = new PageChunker(ExtractionSettings.defaults());

    @BeforeAll
    static void findCorpus() {
        corpus = locateCorpus();
        Assumptions.assumeTrue(corpus != null, "shared/corpus/readability not found beside the repository (looked up "
                + "from " + System.getProperty("user.dir") + "): corpus checks skipped");
        // Load the tokenizer and the parser's classes, so the first page is not charged for it.
        CHUNKER.chunk("warm-up", "http://fakehost/", Jsoup.parse("<h1 id=a>Warm</h1><p>up <b>the</b> classes.</p>"));
    }

    /** {@code -Dcoursebot.corpus.dir=...} if given, else {@code shared/corpus/readability} in an ancestor folder. */
    static Path locateCorpus() {
        String configured = System.getProperty("coursebot.corpus.dir");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            return Files.isDirectory(dir) ? dir : null;
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/corpus/readability");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void everyPageExtractsQuicklyAndEveryFragmentResolves() throws IOException {
        List<Path> pages = pages();
        assertThat(pages).as("pages in " + corpus).isNotEmpty();
        Totals cold = new Totals();
        List<String> perPage = new ArrayList<>();
        perPage.add("page\tms\tsections\tchunks\tfragments\tresolving\tkept%\tboilerplate%");
        for (Path page : pages) {
            PageResult r = run(page);
            cold.add(r);
            perPage.add(r.tsv());
            assertThat(r.millis).as("milliseconds for %s", r.name).isLessThan(1000);
            assertThat(r.unresolved).as("fragments of %s that land nowhere", r.name).isEmpty();
            assertThat(r.offHeading).as("fragments of %s that land away from their heading", r.name).isEmpty();
        }
        Totals warm = new Totals();
        for (Path page : pages) {
            warm.add(run(page));
        }
        report(cold, warm, perPage);
        assertThat(cold.fragments).as("the corpus has headings with ids; some must be cited").isPositive();
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> dirs = Files.list(corpus)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("source.html"))).sorted().toList();
        }
    }

    private static PageResult run(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        String url = "http://fakehost/" + name + "/";
        byte[] bytes = Files.readAllBytes(dir.resolve("source.html"));
        long start = System.nanoTime();
        // The files are stored as UTF-8 whatever their meta says; a server would name the charset in its header.
        Document doc = Jsoup.parse(new ByteArrayInputStream(bytes), "UTF-8", url);
        List<CourseChunk> chunks = CHUNKER.chunk("readability", url, doc);
        long millis = (System.nanoTime() - start) / 1_000_000;

        PageResult r = new PageResult(name, millis, chunks.size());
        Document fresh = Jsoup.parse(new ByteArrayInputStream(bytes), "UTF-8", url);
        chunks.stream().map(CourseChunk::url).distinct().filter(u -> u.contains("#")).forEach(u -> {
            r.fragments++;
            if (resolves(fresh, URI.create(u).getFragment())) {
                r.resolving++;
            } else {
                r.unresolved.add(u);
            }
        });
        List<Section> sections = SectionExtractor.extract(fresh, url, null);
        r.sections = sections.size();
        for (Section s : sections) {
            String fragment = URI.create(s.url()).getFragment();
            if (fragment != null && !landsOnHeading(target(fresh, fragment), s.title())) {
                r.offHeading.add(s.url() + " (" + s.title() + ")");
            }
        }
        StringBuilder kept = new StringBuilder();
        for (Section s : sections) {
            kept.append(s.title()).append('\n').append(s.content()).append('\n');
        }
        Path expected = dir.resolve("expected.html");
        if (Files.isRegularFile(expected)) {
            r.compare(words(Jsoup.parse(Files.readString(expected)).text()), words(kept.toString()));
        }
        return r;
    }

    /** As a browser finds a fragment's target: the first element with that id, else the first a with that name. */
    static boolean resolves(Document page, String fragment) {
        return fragment != null && !fragment.isEmpty() && target(page, fragment) != null;
    }

    private static Element target(Document page, String fragment) {
        Element byId = page.getElementById(fragment);
        if (byId != null) {
            return byId;
        }
        return page.select("a[name]").stream().filter(a -> a.attr("name").equals(fragment)).findFirst().orElse(null);
    }

    /** The target is the heading, inside it, an empty anchor right before it, or a container it opens. */
    private static boolean landsOnHeading(Element target, String title) {
        if (target == null) {
            return false;
        }
        Element heading = target.closest("h1, h2, h3, h4");
        if (heading == null && target.nameIs("a") && target.text().isBlank()) {
            heading = target.nextElementSibling();
        }
        if (heading == null) {
            heading = target.selectFirst("h1, h2, h3, h4, h5, h6");
        }
        if (heading == null || !heading.is("h1, h2, h3, h4")) {
            return false;
        }
        String prefix = title.substring(0, Math.min(title.length(), 40));
        return HeadingTitle.of(heading, false).startsWith(prefix)
                || HeadingTitle.of(heading, true).startsWith(prefix);
    }

    private static Map<String, Integer> words(String text) {
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            counts.merge(m.group(), 1, Integer::sum);
        }
        return counts;
    }

    private static void report(Totals cold, Totals warm, List<String> perPage) throws IOException {
        String summary = String.format(Locale.ROOT, """
                pages                 %d
                pages/s (cold JVM)    %.1f  (%d ms in all)
                pages/s (warm)        %.1f  (%d ms in all)
                slowest page          %s, %d ms
                sections              %d
                chunks                %d
                fragments emitted     %d
                fragments resolving   %.1f %% (%d of %d)
                content kept          %.1f %% of expected.html words (mean per page %.1f %%)
                boilerplate let in    %.1f %% of extracted words (mean per page %.1f %%)
                """,
                cold.pages, cold.pagesPerSecond(), cold.millis, warm.pagesPerSecond(), warm.millis,
                cold.slowest, cold.slowestMillis, cold.sections, cold.chunks, cold.fragments,
                cold.fragments == 0 ? 100.0 : 100.0 * cold.resolving / cold.fragments, cold.resolving, cold.fragments,
                100.0 * cold.keptWords / Math.max(1, cold.expectedWords), 100.0 * cold.keptShareSum / cold.compared,
                100.0 * cold.extraWords / Math.max(1, cold.extractedWords), 100.0 * cold.extraShareSum / cold.compared);
        Path out = Path.of("target", "extract-bench");
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.txt"), summary);
        Files.write(out.resolve("pages.tsv"), perPage);
        System.out.print(summary);
    }

    /** One page's numbers. */
    private static final class PageResult {
        final String name;
        final long millis;
        final int chunks;
        final List<String> unresolved = new ArrayList<>();
        final List<String> offHeading = new ArrayList<>();
        int sections;
        int fragments;
        int resolving;
        long expectedWords;
        long extractedWords;
        long keptWords;
        boolean compared;

        PageResult(String name, long millis, int chunks) {
            this.name = name;
            this.millis = millis;
            this.chunks = chunks;
        }

        /** Bag-of-words overlap: a word counts as kept as often as it occurs in both texts. */
        void compare(Map<String, Integer> expected, Map<String, Integer> extracted) {
            compared = true;
            expectedWords = expected.values().stream().mapToLong(Integer::longValue).sum();
            extractedWords = extracted.values().stream().mapToLong(Integer::longValue).sum();
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                keptWords += Math.min(e.getValue(), extracted.getOrDefault(e.getKey(), 0));
            }
        }

        String tsv() {
            return String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f", name, millis, sections, chunks,
                    fragments, resolving, 100.0 * keptWords / Math.max(1, expectedWords),
                    100.0 * (extractedWords - keptWords) / Math.max(1, extractedWords));
        }
    }

    /** Sums over pages. */
    private static final class Totals {
        int pages;
        long millis;
        String slowest = "";
        long slowestMillis = -1;
        long sections;
        long chunks;
        long fragments;
        long resolving;
        long expectedWords;
        long extractedWords;
        long keptWords;
        long extraWords;
        int compared;
        double keptShareSum;
        double extraShareSum;

        void add(PageResult r) {
            pages++;
            millis += r.millis;
            if (r.millis > slowestMillis) {
                slowest = r.name;
                slowestMillis = r.millis;
            }
            sections += r.sections;
            chunks += r.chunks;
            fragments += r.fragments;
            resolving += r.resolving;
            if (r.compared) {
                compared++;
                expectedWords += r.expectedWords;
                extractedWords += r.extractedWords;
                keptWords += r.keptWords;
                extraWords += r.extractedWords - r.keptWords;
                keptShareSum += r.expectedWords == 0 ? 1.0 : (double) r.keptWords / r.expectedWords;
                extraShareSum += r.extractedWords == 0 ? 0.0 : (double) (r.extractedWords - r.keptWords) / r.extractedWords;
            }
        }

        double pagesPerSecond() {
            return pages * 1000.0 / Math.max(1, millis);
        }
    }
}
