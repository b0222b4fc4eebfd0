package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.vertx.mutiny.core.Vertx;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCrawlTests {

    private static final String BASE = "https://course.example.org/en/";

    @TempDir
    Path build;

    private Vertx vertx;
    private Crawler crawler;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        crawler = new Crawler(vertx);
        write("index.html", "<h1>Home</h1>");
        write("part1/index.html", "<h1>Part 1</h1>");
        write("part1/a.html", "<h1>A</h1>");
        write("part1/space name.html", "<h1>Spaced</h1>");
        write("part1/notes.txt", "not html");
        Files.write(build.resolve("latin.html"), "<meta charset=\"windows-1252\"><p>café</p>".getBytes(Charset.forName("windows-1252")));
    }

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
    }

    private void write(String relative, String html) throws Exception {
        Path file = build.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private Map<String, CrawledPage> crawl(Map<String, PageValidators> known, CrawlProgress progress) {
        return crawler.crawl("docs", SourceSettings.site(BASE).withDirectory(build.toString()), withoutLinks(known), progress)
                .collect().asList().await().atMost(Duration.ofSeconds(30))
                .stream().collect(Collectors.toMap(CrawledPage::url, p -> p));
    }

    @Test
    void mapsEachHtmlFileToItsPublicUrl() {
        CrawlProgress progress = new CrawlProgress();
        Map<String, CrawledPage> pages = crawl(Map.of(), progress);

        assertThat(pages.keySet()).containsExactlyInAnyOrder(BASE, BASE + "part1/", BASE + "part1/a.html",
                BASE + "part1/space%20name.html", BASE + "latin.html");
        assertThat(pages.get(BASE + "part1/").document().selectFirst("h1").text()).isEqualTo("Part 1");
        assertThat(pages.get(BASE + "part1/a.html").depth()).isEqualTo(1);
        assertThat(pages.get(BASE + "latin.html").document().selectFirst("p").text()).isEqualTo("café");
        assertThat(pages.values()).allMatch(p -> p.status() == Status.FETCHED && p.validators().present());
        assertThat(progress.complete()).isTrue();
        assertThat(progress.done()).isEqualTo(5);
    }

    @Test
    void unchangedFilesAreNotModifiedAndChangedOnesAreReadAgain() throws Exception {
        Map<String, PageValidators> known = crawl(Map.of(), new CrawlProgress()).values().stream()
                .collect(Collectors.toMap(CrawledPage::url, CrawledPage::validators));
        write("part1/a.html", "<h1>A, edited</h1>");
        Files.setLastModifiedTime(build.resolve("part1/a.html"), FileTime.from(Instant.now().plusSeconds(5)));
        Files.delete(build.resolve("latin.html"));

        CrawlProgress progress = new CrawlProgress();
        Map<String, CrawledPage> second = crawl(known, progress);

        assertThat(second.get(BASE + "part1/a.html").status()).isEqualTo(Status.FETCHED);
        assertThat(second.get(BASE + "part1/a.html").document().selectFirst("h1").text()).isEqualTo("A, edited");
        assertThat(second.get(BASE).status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(second.get(BASE).document()).isNull();
        assertThat(second).doesNotContainKey(BASE + "latin.html");
        assertThat(progress.complete()).isTrue();
    }

    @Test
    void honoursPatternsAndMaxPages() {
        CrawlProgress progress = new CrawlProgress();
        List<CrawledPage> pages = crawler.crawl("docs", SourceSettings.site(BASE).withDirectory(build.toString())
                .withPatterns(List.of("/part1/"), List.of("space")), Map.of(), progress)
                .collect().asList().await().atMost(Duration.ofSeconds(30));
        assertThat(pages).extracting(CrawledPage::url).containsExactlyInAnyOrder(BASE + "part1/", BASE + "part1/a.html");

        CrawlProgress limited = new CrawlProgress();
        assertThat(crawler.crawl("docs", SourceSettings.site(BASE).withDirectory(build.toString()).withLimits(2, 10),
                Map.of(), limited).collect().asList().await().atMost(Duration.ofSeconds(30))).hasSize(2);
        assertThat(limited.complete()).isFalse();
        assertThat(limited.incompleteReason()).contains("max-pages 2");
    }

    @Test
    void aMissingFolderFailsTheStreamAndIsNeverComplete() {
        CrawlProgress progress = new CrawlProgress();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> crawler.crawl("docs",
                SourceSettings.site(BASE).withDirectory(build.resolve("nope").toString()), Map.of(), progress)
                .collect().asList().await().atMost(Duration.ofSeconds(30)));
        assertThat(failure).hasMessageContaining("not a directory");
        assertThat(progress.complete()).isFalse();
    }

    @Test
    void readsThePdfsOfTheFolderAndSkipsThemWhenUnchanged() throws Exception {
        Path slides = build.resolve("slides/l3.pdf");
        Files.createDirectories(slides.getParent());
        Files.write(slides, org.coursebot.testing.PdfFiles.slides("Lecture 3 slides", null,
                List.of(new org.coursebot.testing.PdfFiles.Slide("Routing", List.of("- a route per path")))));
        Files.write(build.resolve("scan.pdf"), org.coursebot.testing.PdfFiles.scan(1));

        Map<String, CrawledPage> first = crawl(Map.of(), new CrawlProgress());
        assertThat(first.get(BASE + "slides/l3.pdf").pdf().title()).isEqualTo("Lecture 3 slides");
        assertThat(first.get(BASE + "scan.pdf").status()).isEqualTo(Status.FAILED);
        assertThat(first.get(BASE + "scan.pdf").error()).startsWith("PDF: no text layer");

        Map<String, PageValidators> known = Map.of(BASE + "slides/l3.pdf", first.get(BASE + "slides/l3.pdf").validators());
        assertThat(crawl(known, new CrawlProgress()).get(BASE + "slides/l3.pdf").status()).isEqualTo(Status.NOT_MODIFIED);
    }

    private static Map<String, KnownPage> withoutLinks(Map<String, PageValidators> known) {
        Map<String, KnownPage> pages = new java.util.HashMap<>();
        known.forEach((url, validators) -> pages.put(url, KnownPage.of(validators)));
        return pages;
    }
}
