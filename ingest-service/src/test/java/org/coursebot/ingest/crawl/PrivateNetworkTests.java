package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.mutiny.core.Vertx;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SSRF guard: decided by resolved address, before any connection, on the start URL and on every redirect. */
class PrivateNetworkTests {

    private Vertx vertx;
    private TestSite site;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        site = new TestSite(vertx);
    }

    @AfterEach
    void stop() {
        site.close();
        vertx.closeAndAwait();
    }

    private List<CrawledPage> crawl(Crawler crawler, SourcesConfig.Source source, CrawlProgress progress) {
        return crawler.crawl("course", source, Map.of(), progress).collect().asList().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void refusesALoopbackStartUrlWithoutSendingARequest() {
        site.html("/", "<h1>home</h1>");
        CrawlProgress progress = new CrawlProgress();
        List<CrawledPage> pages = crawl(new Crawler(vertx), SourceSettings.site(site.url("/")).withPrivateNetwork(false), progress);

        assertThat(pages).singleElement().satisfies(page -> {
            assertThat(page.status()).isEqualTo(Status.FAILED);
            assertThat(page.error()).startsWith("refused").contains("127.0.0.1").contains("loopback");
        });
        assertThat(site.requests()).isEmpty();
        assertThat(progress.complete()).as("a refused start page must not look like an empty site").isFalse();
    }

    @Test
    void refusesPrivateAndMetadataStartUrlsWithoutConnecting() {
        for (String base : List.of("http://10.0.0.1/", "http://169.254.169.254/latest/", "http://[fd00::1]/")) {
            long started = System.nanoTime();
            List<CrawledPage> pages = crawl(new Crawler(vertx),
                    SourceSettings.site(base).withPrivateNetwork(false).withTimeout(Duration.ofSeconds(20), 1000), new CrawlProgress());
            assertThat(pages).singleElement().satisfies(page -> assertThat(page.error()).startsWith("refused"));
            // a connection attempt to an unroutable address would wait for the connect timeout
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void refusesRedirectsToPrivateAddressesWhenPrivateNetworkIsNotAllowed() throws Exception {
        site.html("/", "<a href=\"/to-private\">p</a><a href=\"/to-v6-loopback\">l</a><a href=\"/ok.html\">ok</a>");
        site.redirect("/to-private", 302, "http://10.0.0.1/admin");
        site.redirect("/to-v6-loopback", 302, "http://[::1]:" + site.url("/").split(":")[2]);
        site.html("/ok.html", "<h1>ok</h1>");
        // the loopback test server stands in for a public site; every other private address stays refused
        Crawler crawler = new Crawler(vertx, Set.of(InetAddress.getByName("127.0.0.1")));
        long started = System.nanoTime();
        List<CrawledPage> pages = crawl(crawler, SourceSettings.site(site.url("/")).withPrivateNetwork(false), new CrawlProgress());

        assertThat(pages).filteredOn(p -> p.url().equals(site.url("/to-private"))).singleElement().satisfies(page -> {
            assertThat(page.status()).isEqualTo(Status.FAILED);
            assertThat(page.error()).startsWith("refused").contains("10.0.0.1").contains("private");
            assertThat(page.redirects()).containsExactly(site.url("/to-private"));
        });
        assertThat(pages).filteredOn(p -> p.url().equals(site.url("/to-v6-loopback"))).singleElement()
                .satisfies(page -> assertThat(page.error()).contains("loopback"));
        assertThat(pages).filteredOn(p -> p.url().equals(site.url("/ok.html"))).singleElement()
                .satisfies(page -> assertThat(page.status()).isEqualTo(Status.FETCHED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusesMetadataEvenWhenPrivateNetworkIsAllowed() throws Exception {
        NetworkGuard guard = new NetworkGuard(true, Set.of());
        assertThat(guard.refusal(InetAddress.getByName("169.254.169.254"))).contains("metadata");
        assertThat(guard.refusal(InetAddress.getByName("fd00:ec2::254"))).contains("metadata");
        assertThat(guard.refusal(InetAddress.getByName("10.1.2.3"))).isNull();
        assertThat(guard.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
    }

    @Test
    void classifiesNonPublicAddresses() throws Exception {
        NetworkGuard guard = new NetworkGuard(false, Set.of());
        for (String address : List.of("127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.10.10", "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fc00::1",
                "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1", "ff02::1")) {
            assertThat(guard.refusal(InetAddress.getByName(address))).as(address).isNotNull();
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
            assertThat(guard.refusal(InetAddress.getByName(address))).as(address).isNull();
        }
    }
}
