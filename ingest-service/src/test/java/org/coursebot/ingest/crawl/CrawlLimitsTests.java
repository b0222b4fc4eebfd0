package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.vertx.mutiny.core.Vertx;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits, politeness, timeouts, cancellation and back-pressure of a site crawl. */
class CrawlLimitsTests {

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

    private List<CrawledPage> crawl(SourcesConfig.Source source, Map<String, PageValidators> known, CrawlProgress progress) {
        return crawler.crawl("course", source, withoutLinks(known), progress).collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    private static Map<String, CrawledPage> byUrl(List<CrawledPage> pages) {
        return pages.stream().collect(Collectors.toMap(CrawledPage::url, p -> p));
    }

    @Test
    void fetchesNoFurtherAheadThanTheSubscriberAsked() throws Exception {
        StringBuilder links = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            links.append("<a href=\"/p").append(i).append(".html\">p</a>");
            site.html("/p" + i + ".html", "<h1>p</h1>");
        }
        site.html("/", links.toString());
        var subscriber = crawler.crawl("course", SourceSettings.site(site.url("/")), Map.of(), new CrawlProgress())
                .subscribe().withSubscriber(io.smallrye.mutiny.helpers.test.AssertSubscriber.<CrawledPage>create(2));
        subscriber.awaitItems(2, Duration.ofSeconds(10));
        Thread.sleep(500);
        assertThat(site.requests().stream().filter(r -> r.uri().startsWith("/p")).count()).isLessThanOrEqualTo(1);
        subscriber.request(100).awaitCompletion(Duration.ofSeconds(20));
        assertThat(subscriber.getItems()).hasSize(21);
    }

    @Test
    void timesOutASilentServerWithoutStoppingTheCrawl() {
        site.html("/", "<a href=\"/slow\">slow</a> <a href=\"/ok.html\">ok</a>");
        site.route("/slow", r -> { });
        site.html("/ok.html", "<h1>ok</h1>");
        long started = System.nanoTime();
        SourcesConfig.Source source = SourceSettings.site(site.url("/")).withTimeout(Duration.ofMillis(500), 1_000_000);
        Map<String, CrawledPage> byUrl = byUrl(crawl(source, Map.of(), new CrawlProgress()));

        assertThat(byUrl.get(site.url("/slow")).error()).startsWith("timeout");
        assertThat(byUrl.get(site.url("/ok.html")).status()).isEqualTo(Status.FETCHED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void stopsAtMaxPagesAndReportsTheCrawlIncomplete() {
        StringBuilder links = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            links.append("<a href=\"/p").append(i).append(".html\">p</a>");
            site.html("/p" + i + ".html", "<h1>p</h1>");
        }
        site.html("/", links.toString());
        CrawlProgress progress = new CrawlProgress();
        List<CrawledPage> pages = crawl(SourceSettings.site(site.url("/")).withLimits(4, 10), Map.of(), progress);

        assertThat(pages).hasSize(4);
        assertThat(progress.complete()).isFalse();
        assertThat(progress.incompleteReason()).contains("max-pages 4");
    }

    @Test
    void stopsAtMaxDepthAndReportsTheCrawlIncomplete() {
        site.html("/", "<a href=\"/d1.html\">1</a>");
        site.html("/d1.html", "<a href=\"/d2.html\">2</a>");
        site.html("/d2.html", "<a href=\"/d3.html\">3</a>");
        site.html("/d3.html", "<h1>deep</h1>");

        CrawlProgress shallow = new CrawlProgress();
        List<CrawledPage> pages = crawl(SourceSettings.site(site.url("/")).withLimits(100, 1), Map.of(), shallow);
        assertThat(pages).extracting(CrawledPage::url).containsExactly(site.url("/"), site.url("/d1.html"));
        assertThat(shallow.complete()).isFalse();
        assertThat(shallow.incompleteReason()).contains("max-depth 1");

        CrawlProgress deep = new CrawlProgress();
        assertThat(crawl(SourceSettings.site(site.url("/")).withLimits(100, 3), Map.of(), deep)).hasSize(4);
        assertThat(deep.complete()).isTrue();
    }

    @Test
    void waitsTheRobotsCrawlDelayBetweenRequests() {
        site.text("/robots.txt", "text/plain", "User-agent: coursebotcrawler\nCrawl-delay: 0.4\n");
        site.html("/", "<a href=\"/1.html\">1</a><a href=\"/2.html\">2</a>");
        site.html("/1.html", "1").html("/2.html", "2");
        long started = System.nanoTime();
        // a request timeout shorter than the delay: waiting for one's turn must not count as the request's time
        SourcesConfig.Source source = SourceSettings.site(site.url("/")).withTimeout(Duration.ofMillis(350), 100_000);
        List<CrawledPage> pages = crawl(source, Map.of(), new CrawlProgress());

        assertThat(pages).hasSize(3).allMatch(page -> page.status() == Status.FETCHED);
        // robots.txt, /, then two pages after it: at least three delays of 400 ms after the first request
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void cancellingEndsTheStreamAndTheCrawlIsIncomplete() {
        StringBuilder links = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            links.append("<a href=\"/p").append(i).append(".html\">p</a>");
            site.html("/p" + i + ".html", "<h1>p</h1>");
        }
        site.html("/", links.toString());
        CrawlProgress progress = new CrawlProgress();
        List<CrawledPage> pages = crawler.crawl("course", SourceSettings.site(site.url("/")).withDelay(Duration.ofMillis(50)),
                Map.of(), progress)
                .invoke(page -> {
                    if (progress.done() == 3) {
                        progress.cancel();
                    }
                })
                .collect().asList().await().atMost(Duration.ofSeconds(30));

        assertThat(pages.size()).isLessThan(21);
        assertThat(progress.finished()).isTrue();
        assertThat(progress.complete()).isFalse();
        assertThat(progress.incompleteReason()).isEqualTo("cancelled");
    }

    private static Map<String, KnownPage> withoutLinks(Map<String, PageValidators> known) {
        Map<String, KnownPage> pages = new java.util.HashMap<>();
        known.forEach((url, validators) -> pages.put(url, KnownPage.of(validators)));
        return pages;
    }
}
