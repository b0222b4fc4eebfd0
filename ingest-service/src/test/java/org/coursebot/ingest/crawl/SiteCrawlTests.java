package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.vertx.mutiny.core.Vertx;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SiteCrawlTests {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    private Vertx vertx;
    private TestSite site;
    private Crawler crawler;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        site = new TestSite(vertx);
        crawler = new Crawler(vertx);
    }

    @AfterEach
    void stop() {
        site.close();
        vertx.closeAndAwait();
    }

    private void serveCourse() {
        site.text("/robots.txt", "text/plain", """
                User-agent: *
                Disallow: /private/
                Sitemap: %s
                """.formatted(site.url("/sitemap-index.xml")));
        site.text("/sitemap-index.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>%s</loc></sitemap>
                </sitemapindex>""".formatted(site.url("/sitemap-pages.xml")));
        site.text("/sitemap-pages.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc>%s</loc></url>
                  <url><loc>%s</loc></url>
                </urlset>""".formatted(site.url("/orphan.html"), site.url("/a.html")));
        site.html("/", """
                <html><head><title>Course</title></head><body>
                <a href="/a.html?utm_source=news&utm_medium=mail#part-2">A</a>
                <a href="a.html?fbclid=xyz">A again</a>
                <a href="/index.html">home</a>
                <a href="/b/">B</a>
                <a href="/private/secret.html">secret</a>
                <a href="/files/notes.pdf">notes</a>
                <a href="/download">download</a>
                <a href="/old">old</a>
                <a href="/missing">missing</a>
                <a href="http://example.org/elsewhere">elsewhere</a>
                <a href="/dup?ref=1">dup</a>
                <a href="/alias.html">alias</a>
                <a href="/latin1-header">l1</a>
                <a href="/latin1-meta">l2</a>
                <a href="/lm.html">lm</a>
                </body></html>""");
        site.withEtag("/a.html", "\"a-1\"", "<html><body><h1>Page A</h1></body></html>");
        site.withLastModified("/lm.html", "Wed, 21 Oct 2026 07:28:00 GMT", "<html><body><h1>LM</h1></body></html>");
        site.html("/b/", "<html><head><base href=\"/c/\"></head><body><a href=\"d.html\">D</a></body></html>");
        site.html("/c/d.html", "<html><body><h1>D</h1></body></html>");
        site.html("/orphan.html", "<html><body><h1>Only in the sitemap</h1></body></html>");
        site.html("/private/secret.html", "<html><body>secret</body></html>");
        site.bytes("/files/notes.pdf", "application/pdf", TestSite.utf8("%PDF-1.4"));
        site.bytes("/download", "application/pdf", TestSite.utf8("%PDF-1.4"));
        site.redirect("/old", 301, "/moved.html");
        site.html("/moved.html", "<html><body><h1>Moved</h1></body></html>");
        site.html("/dup", "<html><head><link rel=\"canonical\" href=\"/a.html\"></head><body>dup</body></html>");
        site.html("/alias.html", "<html><head><link rel=\"canonical\" href=\"" + site.url("/canonical.html")
                + "\"></head><body><h1>Canonical</h1></body></html>");
        site.html("/canonical.html", "<html><body>never fetched</body></html>");
        site.bytes("/latin1-header", "text/html; charset=windows-1252",
                "<html><body><p>café – naïve</p></body></html>".getBytes(CP1252));
        site.bytes("/latin1-meta", "text/html",
                "<html><head><meta charset=\"windows-1252\"></head><body><p>déjà vu – œuvre</p></body></html>"
                        .getBytes(CP1252));
    }

    private List<CrawledPage> crawl(SourcesConfig.Source source, Map<String, PageValidators> known, CrawlProgress progress) {
        return crawler.crawl("course", source, withoutLinks(known), progress).collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    private static Map<String, CrawledPage> byUrl(List<CrawledPage> pages) {
        return pages.stream().collect(Collectors.toMap(CrawledPage::url, p -> p));
    }

    @Test
    void crawlsSitemapAndLinksOnceEachAndEndsComplete() {
        serveCourse();
        CrawlProgress progress = new CrawlProgress();
        List<CrawledPage> pages = crawl(SourceSettings.site(site.url("/")), Map.of(), progress);
        Map<String, CrawledPage> byUrl = byUrl(pages);

        assertThat(pages).extracting(CrawledPage::url).doesNotHaveDuplicates();
        assertThat(byUrl.get(site.url("/orphan.html")).status()).isEqualTo(Status.FETCHED);
        assertThat(byUrl.get(site.url("/orphan.html")).depth()).isEqualTo(1);
        assertThat(byUrl.get(site.url("/")).depth()).isZero();
        assertThat(byUrl.get(site.url("/a.html")).status()).isEqualTo(Status.FETCHED);
        assertThat(byUrl.get(site.url("/a.html")).validators().etag()).isEqualTo("\"a-1\"");
        assertThat(byUrl.get(site.url("/a.html")).document().selectFirst("h1").text()).isEqualTo("Page A");
        assertThat(site.hits("/a.html")).isEqualTo(1);
        assertThat(site.requests()).noneMatch(r -> r.uri().contains("utm_") || r.uri().contains("fbclid"));
        assertThat(site.hits("/")).isEqualTo(1);
        assertThat(site.hits("/index.html")).isZero();
        assertThat(byUrl.get(site.url("/c/d.html")).status()).as("link resolved against <base href>")
                .isEqualTo(Status.FETCHED);
        assertThat(progress.complete()).as(progress.toString()).isTrue();
        assertThat(progress.done()).isEqualTo(pages.size());
        assertThat(progress.discovered()).isGreaterThanOrEqualTo(pages.size());
        assertThat(site.requests()).allMatch(r -> r.headers().get("user-agent").startsWith("CoursebotCrawler/1.0"));
    }

    @Test
    void honoursRobotsSkipsNonHtmlAndNeverLeavesTheSite() {
        serveCourse();
        CrawlProgress progress = new CrawlProgress();
        SourceSettings withoutPdfs = SourceSettings.site(site.url("/"))
                .withPdf(new SourceSettings.PdfSettings(false, 25L * 1024 * 1024, 300));
        Map<String, CrawledPage> byUrl = byUrl(crawl(withoutPdfs, Map.of(), progress));

        CrawledPage secret = byUrl.get(site.url("/private/secret.html"));
        assertThat(secret.status()).isEqualTo(Status.SKIPPED);
        assertThat(secret.error()).contains("robots.txt");
        assertThat(site.hits("/private/secret.html")).isZero();

        assertThat(byUrl.get(site.url("/files/notes.pdf")).status()).isEqualTo(Status.SKIPPED);
        assertThat(site.hits("/files/notes.pdf")).as("skipped by extension, never requested").isZero();
        CrawledPage download = byUrl.get(site.url("/download"));
        assertThat(download.status()).isEqualTo(Status.SKIPPED);
        assertThat(download.error()).contains("not HTML").contains("application/pdf");
        assertThat(download.document()).isNull();

        assertThat(byUrl.keySet()).allMatch(url -> url.startsWith(site.url("/")));
        assertThat(byUrl.get(site.url("/missing")).status()).isEqualTo(Status.GONE);
        assertThat(byUrl.get(site.url("/missing")).error()).isEqualTo("HTTP 404");
    }

    @Test
    void followsRedirectsAndCanonicalLinksRecordingWhereThePageCameFrom() {
        serveCourse();
        Map<String, CrawledPage> byUrl = byUrl(crawl(SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress()));

        CrawledPage moved = byUrl.get(site.url("/moved.html"));
        assertThat(moved.status()).isEqualTo(Status.FETCHED);
        assertThat(moved.redirects()).containsExactly(site.url("/old"));
        assertThat(byUrl).doesNotContainKey(site.url("/old"));

        CrawledPage canonical = byUrl.get(site.url("/canonical.html"));
        assertThat(canonical.status()).isEqualTo(Status.FETCHED);
        assertThat(canonical.redirects()).containsExactly(site.url("/alias.html"));
        assertThat(canonical.document().selectFirst("h1").text()).isEqualTo("Canonical");
        assertThat(site.hits("/canonical.html")).isZero();
        assertThat(byUrl).doesNotContainKey(site.url("/alias.html"));
        assertThat(byUrl).as("a page whose canonical was already crawled is a duplicate").doesNotContainKey(site.url("/dup?ref=1"));
    }

    @Test
    void decodesWindows1252FromTheHeaderAndFromTheMetaTag() {
        serveCourse();
        Map<String, CrawledPage> byUrl = byUrl(crawl(SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress()));

        assertThat(byUrl.get(site.url("/latin1-header")).document().selectFirst("p").text()).isEqualTo("café – naïve");
        assertThat(byUrl.get(site.url("/latin1-meta")).document().selectFirst("p").text()).isEqualTo("déjà vu – œuvre");
    }

    @Test
    void secondCrawlWithTheFirstCrawlsValidatorsGets304s() {
        serveCourse();
        List<CrawledPage> first = crawl(SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress());
        Map<String, PageValidators> known = new HashMap<>();
        first.stream().filter(p -> p.validators().present()).forEach(p -> known.put(p.url(), p.validators()));

        CrawlProgress progress = new CrawlProgress();
        Map<String, CrawledPage> second = byUrl(crawl(SourceSettings.site(site.url("/")), known, progress));

        CrawledPage a = second.get(site.url("/a.html"));
        assertThat(a.status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(a.document()).isNull();
        assertThat(a.validators().etag()).isEqualTo("\"a-1\"");
        assertThat(second.get(site.url("/lm.html")).status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(site.requests()).filteredOn(r -> r.uri().equals("/a.html")).last()
                .extracting(r -> r.headers().get("if-none-match")).isEqualTo("\"a-1\"");
        assertThat(second.get(site.url("/orphan.html")).status()).as("no validators, no 304").isEqualTo(Status.FETCHED);
        assertThat(progress.complete()).isTrue();
    }

    @Test
    void stillReachesPagesLinkedOnlyFromPagesThatAnswered304() {
        site.withEtag("/", "\"home\"", "<a href=\"/a.html\">a</a>");
        site.withEtag("/a.html", "\"a\"", "<a href=\"/deep.html\">deep</a>");
        site.html("/deep.html", "<h1>deep</h1>");
        List<CrawledPage> first = crawl(SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress());
        assertThat(first).hasSize(3);
        Map<String, PageValidators> known = first.stream().collect(Collectors.toMap(CrawledPage::url, CrawledPage::validators));

        CrawlProgress progress = new CrawlProgress();
        Map<String, CrawledPage> second = byUrl(crawl(SourceSettings.site(site.url("/")), known, progress));

        assertThat(second.get(site.url("/")).status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(second.get(site.url("/a.html")).status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(second.get(site.url("/deep.html")).status()).isEqualTo(Status.FETCHED);
        assertThat(progress.complete()).isTrue();
    }

    @Test
    void followsTheStoredLinksOfAPageThatAnswers304ToPagesNeverStored() {
        // As after a run killed mid-way: the home page and a.html were stored, deep.html (linked only from a.html)
        // never was. a.html answers 304, so only its stored links can lead the crawl to deep.html.
        site.withEtag("/", "\"home\"", "<a href=\"/a.html\">a</a>");
        site.withEtag("/a.html", "\"a\"", "<a href=\"/deep.html\">deep</a>");
        site.html("/deep.html", "<h1>deep</h1>");
        Map<String, CrawledPage> first = byUrl(crawl(SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress()));
        assertThat(first.get(site.url("/a.html")).links()).contains(site.url("/deep.html"));
        Map<String, KnownPage> known = Map.of(
                site.url("/"), new KnownPage(first.get(site.url("/")).validators(), first.get(site.url("/")).links()),
                site.url("/a.html"), new KnownPage(first.get(site.url("/a.html")).validators(), first.get(site.url("/a.html")).links()));

        Map<String, CrawledPage> second = byUrl(crawler.crawl("course", SourceSettings.site(site.url("/")), known,
                new CrawlProgress()).collect().asList().await().atMost(Duration.ofSeconds(60)));
        assertThat(second.get(site.url("/a.html")).status()).isEqualTo(Status.NOT_MODIFIED);
        assertThat(second.get(site.url("/a.html")).links()).as("a 304 carries the stored links").contains(site.url("/deep.html"));
        assertThat(second.get(site.url("/deep.html")).status()).isEqualTo(Status.FETCHED);

        Map<String, CrawledPage> withoutStoredLinks = byUrl(crawl(SourceSettings.site(site.url("/")),
                Map.of(site.url("/"), first.get(site.url("/")).validators(), site.url("/a.html"), first.get(site.url("/a.html")).validators()),
                new CrawlProgress()));
        assertThat(withoutStoredLinks).as("what the stored links prevent").doesNotContainKey(site.url("/deep.html"));
    }

    @Test
    void readsTheDefaultSitemapXmlWithoutRobotsTxt() {
        site.html("/", "<h1>no links</h1>");
        site.text("/sitemap.xml", "text/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s</loc></url></urlset>"""
                .formatted(site.url("/listed.html")));
        site.html("/listed.html", "<h1>listed</h1>");
        assertThat(crawl(SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress()))
                .extracting(CrawledPage::url).containsExactlyInAnyOrder(site.url("/"), site.url("/listed.html"));
    }

    @Test
    void recordsEachBrokenPageWithItsReasonAndCarriesOn() {
        site.html("/", """
                <a href="/loop1">loop</a> <a href="/r1">hops</a> <a href="/error">error</a>
                <a href="/to-metadata">metadata</a> <a href="/big">big</a> <a href="/big-declared">big</a>
                <a href="/fine.html">fine</a>""");
        site.redirect("/loop1", 302, "/loop2").redirect("/loop2", 302, "/loop1");
        for (int i = 1; i <= 7; i++) {
            site.redirect("/r" + i, 307, "/r" + (i + 1));
        }
        site.html("/r8", "<p>too far</p>");
        site.route("/error", r -> r.response().setStatusCode(500).end("boom"));
        site.redirect("/to-metadata", 302, "http://169.254.169.254/latest/meta-data/");
        site.route("/big", r -> r.response().putHeader("Content-Type", "text/html").setChunked(true)
                .end("<p>" + "x".repeat(300_000) + "</p>"));
        site.html("/big-declared", "<p>" + "y".repeat(200_000) + "</p>");
        site.html("/fine.html", "<h1>Fine</h1>");

        CrawlProgress progress = new CrawlProgress();
        SourcesConfig.Source source = SourceSettings.site(site.url("/")).withTimeout(Duration.ofSeconds(10), 100_000);
        Map<String, CrawledPage> byUrl = byUrl(crawl(source, Map.of(), progress));

        assertThat(byUrl.get(site.url("/loop1")).error()).startsWith("redirect loop");
        assertThat(byUrl.get(site.url("/loop1")).status()).isEqualTo(Status.FAILED);
        assertThat(byUrl.get(site.url("/r1")).error()).contains("too many redirects");
        assertThat(byUrl.get(site.url("/r1")).redirects()).hasSize(6).startsWith(site.url("/r1"));
        assertThat(site.hits("/r7")).isZero();
        assertThat(byUrl.get(site.url("/error")).error()).isEqualTo("HTTP 500");
        CrawledPage metadata = byUrl.get(site.url("/to-metadata"));
        assertThat(metadata.status()).isEqualTo(Status.FAILED);
        assertThat(metadata.error()).startsWith("refused").contains("169.254.169.254").contains("metadata");
        assertThat(byUrl.get(site.url("/big")).error()).as("chunked, no length").startsWith("too large");
        assertThat(byUrl.get(site.url("/big-declared")).error()).as("Content-Length").startsWith("too large");
        assertThat(byUrl.get(site.url("/fine.html")).status()).isEqualTo(Status.FETCHED);
        assertThat(progress.complete()).as("failed pages may hide links").isFalse();
        assertThat(progress.failed()).isEqualTo(6);
    }

    @Test
    void includeAndExcludeRegexesChooseThePages() {
        site.html("/", "<a href=\"/en/a.html\">a</a><a href=\"/en/drafts/b.html\">b</a><a href=\"/fr/c.html\">c</a>");
        site.html("/en/a.html", "<a href=\"/en/x.html\">x</a>");
        site.html("/en/x.html", "x");
        site.html("/en/drafts/b.html", "b");
        site.html("/fr/c.html", "c");
        SourcesConfig.Source source = SourceSettings.site(site.url("/")).withPatterns(List.of("^/en/"), List.of("/drafts/"));
        Map<String, CrawledPage> byUrl = byUrl(crawl(source, Map.of(), new CrawlProgress()));

        assertThat(byUrl.get(site.url("/")).status()).as("start page read for its links only").isEqualTo(Status.SKIPPED);
        assertThat(byUrl.keySet()).containsExactlyInAnyOrder(site.url("/"), site.url("/en/a.html"), site.url("/en/x.html"));
        assertThat(site.hits("/fr/c.html") + site.hits("/en/drafts/b.html")).isZero();
    }

    private static Map<String, KnownPage> withoutLinks(Map<String, PageValidators> known) {
        Map<String, KnownPage> pages = new java.util.HashMap<>();
        known.forEach((url, validators) -> pages.put(url, KnownPage.of(validators)));
        return pages;
    }
}
