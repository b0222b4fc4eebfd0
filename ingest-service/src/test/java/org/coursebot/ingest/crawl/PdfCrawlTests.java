package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.vertx.mutiny.core.Vertx;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.coursebot.testing.PdfFiles;
import org.coursebot.testing.PdfFiles.Slide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PdfCrawlTests {

    private static final byte[] DECK = PdfFiles.slides("Lecture 3 slides", null, List.of(
            new Slide("Routing", List.of("Lecture 3")),
            new Slide("Route parameters", List.of("- req.params holds the named parts of the path"))));
    private static final byte[] SCAN = PdfFiles.scan(1);
    private static final byte[] BIG = PdfFiles.pages(60, 200);
    /** Between the PDFs that must be read and the one that must not fit. */
    private static final int MAX_BYTES = BIG.length / 2;

    private Vertx vertx;
    private TestSite site;
    private Crawler crawler;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        site = new TestSite(vertx);
        crawler = new Crawler(vertx);
        site.text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\n");
        site.html("/", """
                <html><body><h1>Course</h1>
                <a href="/slides/l3.pdf">slides</a>
                <a href="/handout">handout</a>
                <a href="/week2.html">week 2 notes</a>
                <a href="/login.pdf">members only</a>
                <a href="/broken.pdf">broken</a>
                <a href="/scan.pdf">scan</a>
                <a href="/big.pdf">big</a>
                <a href="/private/exam.pdf">exam</a>
                </body></html>""");
        site.route("/slides/l3.pdf", r -> {
            if ("\"deck-1\"".equals(r.getHeader("If-None-Match"))) {
                r.response().setStatusCode(304).putHeader("ETag", "\"deck-1\"").end();
            } else {
                r.response().putHeader("Content-Type", "application/pdf").putHeader("ETag", "\"deck-1\"")
                        .end(io.vertx.core.buffer.Buffer.buffer(DECK));
            }
        });
        site.bytes("/handout", "application/octet-stream", DECK);
        site.bytes("/week2.html", "application/pdf", DECK);
        site.html("/login.pdf", "<html><body><h1>Log in</h1><p>Members only.</p></body></html>");
        site.bytes("/broken.pdf", "application/pdf", TestSite.utf8("<html><body>Not found, sorry</body></html>"));
        site.bytes("/scan.pdf", "application/pdf", SCAN);
        site.route("/big.pdf", r -> { // chunked, no Content-Length: the cap is met while streaming
            r.response().setChunked(true).putHeader("Content-Type", "application/pdf");
            byte[] pdf = BIG;
            for (int at = 0; at < pdf.length; at += 8192) {
                r.response().write(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(pdf, at,
                        Math.min(pdf.length, at + 8192))));
            }
            r.response().end();
        });
        site.bytes("/private/exam.pdf", "application/pdf", DECK);
    }

    @AfterEach
    void stop() {
        site.close();
        vertx.closeAndAwait();
    }

    private SourceSettings source() {
        assertThat(Math.max(DECK.length, SCAN.length)).isLessThan(MAX_BYTES);
        return SourceSettings.site(site.url("/")).withPdf(new SourceSettings.PdfSettings(true, MAX_BYTES, 300));
    }

    private Map<String, CrawledPage> crawl(SourceSettings source, Map<String, KnownPage> known, CrawlProgress progress) {
        return crawler.crawl("course", source, known, progress).collect().asList().await().atMost(Duration.ofSeconds(60))
                .stream().collect(Collectors.toMap(CrawledPage::url, p -> p));
    }

    @Test
    void readsLinkedPdfsWhateverTheirNameOrTypeSays() {
        CrawlProgress progress = new CrawlProgress();
        Map<String, CrawledPage> pages = crawl(source(), Map.of(), progress);

        CrawledPage slides = pages.get(site.url("/slides/l3.pdf"));
        assertThat(slides.status()).isEqualTo(Status.FETCHED);
        assertThat(slides.document()).isNull();
        assertThat(slides.pdf().title()).isEqualTo("Lecture 3 slides");
        assertThat(slides.pdf().pages()).hasSize(2);
        assertThat(slides.validators().etag()).isEqualTo("\"deck-1\"");
        assertThat(pages.get(site.url("/handout")).pdf()).as("application/octet-stream, no extension").isNotNull();
        assertThat(pages.get(site.url("/week2.html")).pdf()).as("a PDF named .html").isNotNull();
        CrawledPage login = pages.get(site.url("/login.pdf"));
        assertThat(login.status()).as("HTML named .pdf is a page").isEqualTo(Status.FETCHED);
        assertThat(login.document().selectFirst("h1").text()).isEqualTo("Log in");
        assertThat(site.requests()).filteredOn(r -> r.uri().equals("/slides/l3.pdf")).first()
                .extracting(r -> r.headers().get("accept")).asString().contains("application/pdf");
    }

    @Test
    void aPdfThatCannotBeReadIsAFailedPageWithItsReasonAndTheCrawlStaysComplete() {
        CrawlProgress progress = new CrawlProgress();
        Map<String, CrawledPage> pages = crawl(source(), Map.of(), progress);

        assertThat(pages.get(site.url("/broken.pdf")).status()).isEqualTo(Status.FAILED);
        assertThat(pages.get(site.url("/broken.pdf")).error())
                .isEqualTo("PDF: not a PDF although served as application/pdf (no %PDF- header)");
        assertThat(pages.get(site.url("/scan.pdf")).error()).startsWith("PDF: no text layer");
        assertThat(pages.get(site.url("/big.pdf")).status()).isEqualTo(Status.FAILED);
        assertThat(pages.get(site.url("/big.pdf")).error()).isEqualTo("PDF too large: more than " + MAX_BYTES + " bytes");
        CrawledPage exam = pages.get(site.url("/private/exam.pdf"));
        assertThat(exam.status()).isEqualTo(Status.SKIPPED);
        assertThat(exam.error()).contains("robots.txt");
        assertThat(site.hits("/private/exam.pdf")).isZero();
        assertThat(progress.complete()).as("a PDF hides no page: %s", progress).isTrue();
    }

    @Test
    void anUnchangedPdfAnswers304TheSecondTime() {
        Map<String, CrawledPage> first = crawl(source(), Map.of(), new CrawlProgress());
        Map<String, KnownPage> known = new HashMap<>();
        first.values().stream().filter(p -> p.validators().present())
                .forEach(p -> known.put(p.url(), new KnownPage(p.validators(), p.links())));

        CrawledPage again = crawl(source(), known, new CrawlProgress()).get(site.url("/slides/l3.pdf"));

        assertThat(again.status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(again.pdf()).isNull();
        assertThat(site.requests()).filteredOn(r -> r.uri().equals("/slides/l3.pdf")).last()
                .extracting(r -> r.headers().get("if-none-match")).isEqualTo("\"deck-1\"");
    }

    @Test
    void pdfsOffAreSkippedUnrequestedByTheirExtension() {
        Map<String, CrawledPage> pages = crawl(source().withPdf(new SourceSettings.PdfSettings(false, MAX_BYTES, 300)),
                Map.of(), new CrawlProgress());

        assertThat(pages.get(site.url("/slides/l3.pdf")).status()).isEqualTo(Status.SKIPPED);
        assertThat(site.hits("/slides/l3.pdf")).isZero();
        assertThat(pages.get(site.url("/handout")).status()).isEqualTo(Status.SKIPPED);
        assertThat(pages.get(site.url("/handout")).error()).startsWith("not HTML");
    }
}
