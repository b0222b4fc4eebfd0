package org.coursebot.ingest.crawl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;

import org.coursebot.ingest.crawl.SourcesConfig.Source;

/** Crawls one source (a site over HTTP, or a local folder published at base-url) into a stream of pages. */
@ApplicationScoped
public class Crawler {

    /**
     * DNS lookups, sitemap XML and jsoup parsing block; they share this small pool so a crawl never blocks an
     * event loop and never takes more than two cores from the request paths.
     */
    private static final int BLOCKING_THREADS = 2;

    private final Vertx vertx;
    private final WorkerExecutor blocking;
    /** One thread: one PDF in PDFBox's hands at a time, whatever the crawl's concurrency (memory). */
    private final WorkerExecutor pdfWorker;
    /** PDF bodies on their way to PDFBox, and PDFBox's scratch files; emptied as each PDF is read. */
    private final Path spoolDirectory;
    private final Set<InetAddress> exemptAddresses;

    @Inject
    public Crawler(Vertx vertx) {
        this(vertx, Set.of());
    }

    /** Tests only: addresses the SSRF guard treats as public, so a loopback test server can stand in for a site. */
    Crawler(Vertx vertx, Set<InetAddress> exemptAddresses) {
        this.vertx = vertx;
        this.blocking = vertx.createSharedWorkerExecutor("coursebot-crawl", BLOCKING_THREADS);
        this.pdfWorker = vertx.createSharedWorkerExecutor("coursebot-pdf", 1);
        this.exemptAddresses = Set.copyOf(exemptAddresses);
        try {
            this.spoolDirectory = Files.createTempDirectory("coursebot-pdf-");
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary folder for PDF bodies", e);
        }
    }

    /**
     * Crawls a source. Pages are emitted as they are fetched, at the subscriber's pace; the stream completes when
     * the crawl ends and never fails for a page's sake (per-page problems are pages with a status and a reason).
     * {@code known} holds every page URL the caller has from the previous crawl with its validators, for
     * conditional requests, and its links: its URLs are crawled too, and a page answering 304 contributes its
     * stored links, so pages linked only from it are still reached.
     * {@code progress} counts as it goes and says at the end whether the crawl was complete.
     */
    public Multi<CrawledPage> crawl(String sourceName, Source source, Map<String, KnownPage> known,
            CrawlProgress progress) {
        SiteScope scope = SiteScope.of("coursebot.sources.\"" + sourceName + "\"", source);
        Map<String, KnownPage> validators = known == null ? Map.of() : known;
        Log.debugf("Crawling source %s from %s", sourceName, scope.baseUrl());
        PdfFetch pdfs = new PdfFetch(source, pdfWorker, spoolDirectory);
        if (source.directory().isPresent()) {
            return new DirectoryCrawl(source, scope, validators, progress, blocking, pdfs).run();
        }
        return Multi.createFrom().deferred(() -> {
            HostThrottle throttle = new HostThrottle(source.delay());
            SiteClient client = new SiteClient(vertx, blocking,
                    new NetworkGuard(source.allowPrivateNetwork(), exemptAddresses), throttle, source.userAgent(),
                    source.timeout(), source.maxPageBytes(), pdfs.maxBytes(), spoolDirectory);
            return new SiteCrawl(source, scope, validators, progress, client, blocking, pdfs,
                    vertx.getOrCreateContext(), throttle).run();
        });
    }

    @PreDestroy
    void close() {
        blocking.close().subscribe().with(ignored -> { }, failure -> { });
        pdfWorker.close().subscribe().with(ignored -> { }, failure -> { });
        try (Stream<Path> left = Files.list(spoolDirectory)) {
            left.forEach(file -> file.toFile().delete());
            Files.deleteIfExists(spoolDirectory);
        } catch (IOException e) {
            Log.debugf("PDF spool folder %s not removed: %s", spoolDirectory, e.getMessage());
        }
    }
}
