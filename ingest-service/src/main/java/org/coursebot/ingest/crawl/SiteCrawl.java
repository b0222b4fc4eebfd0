package org.coursebot.ingest.crawl;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import crawlercommons.robots.BaseRobotRules;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.WorkerExecutor;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.coursebot.ingest.crawl.SourcesConfig.Source;

/**
 * One crawl of a site over HTTP: robots.txt, then the start URL, the sitemap's pages and the pages known from the
 * last crawl, then links breadth first. All crawl state lives on one Vert.x context (every continuation hops back to it), so it needs no locks.
 * At most {@value #CONCURRENCY} pages are in flight, and never more than the subscriber requested, so a slow
 * consumer holds the crawl back instead of piling parsed documents up in memory.
 */
final class SiteCrawl {

    private static final int CONCURRENCY = 4;

    private final Source source;
    private final SiteScope scope;
    private final CrawlProgress progress;
    private final List<String> knownPages;
    private final SiteClient client;
    private final SiteDiscovery discovery;
    private final PageFetcher fetcher;
    private final Context context;
    private final Executor onContext;
    private final boolean pdfs;

    private final Set<String> seen = new HashSet<>();
    private final ArrayDeque<Target> frontier = new ArrayDeque<>();
    private MultiEmitter<? super CrawledPage> emitter;
    private BaseRobotRules robots;
    private int inFlight;
    private int queuedOrFetched;
    private boolean seeded;
    private boolean finished;

    /** A URL to fetch, how many hops from the start it is, and whether it is only crawled for its links. */
    record Target(String url, int depth, boolean linksOnly) {
    }

    SiteCrawl(Source source, SiteScope scope, Map<String, KnownPage> known, CrawlProgress progress,
            SiteClient client, WorkerExecutor blocking, PdfFetch pdfs, Context context, HostThrottle throttle) {
        this.source = source;
        this.scope = scope;
        this.progress = progress;
        this.knownPages = known.keySet().stream().map(UrlNormalizer::normalize).flatMap(java.util.Optional::stream)
                .sorted().toList();
        this.client = client;
        this.context = context;
        this.onContext = command -> context.runOnContext(command);
        this.discovery = new SiteDiscovery(client, blocking, scope, progress, source.userAgent());
        this.fetcher = new PageFetcher(client, blocking, pdfs, scope, known, onContext, throttle);
        this.pdfs = pdfs.enabled();
    }

    Multi<CrawledPage> run() {
        return Multi.createFrom().<CrawledPage>emitter(em -> {
            emitter = em;
            em.onTermination(() -> context.runOnContext(this::terminated));
            em.onRequest(n -> context.runOnContext(this::pump));
            progress.onCancel(() -> context.runOnContext(this::pump));
            context.runOnContext(this::start);
        }, BackPressureStrategy.BUFFER);
    }

    private void start() {
        discovery.robots()
                .emitOn(onContext)
                .invoke(this::useRobots)
                .chain(rules -> discovery.sitemapUrls(rules))
                .emitOn(onContext)
                .subscribe().with(this::seed, failure -> {
                    Log.errorf(failure, "Crawl of %s could not start", scope.baseUrl());
                    progress.cutShort("crawl could not start: " + failure.getMessage());
                    finish();
                });
    }

    private void useRobots(BaseRobotRules rules) {
        robots = rules;
        fetcher.useRobots(rules);
        if (rules.getCrawlDelay() > 0) {
            fetcher.throttle().atLeast(rules.getCrawlDelay());
        }
    }

    private void seed(List<String> sitemapPages) {
        Log.debugf("Crawl of %s: %d sitemap URLs, delay %d ms", scope.baseUrl(), sitemapPages.size(),
                fetcher.throttle().delayMillis());
        String start = scope.baseUrl();
        seen.add(start);
        progress.discoveredOne();
        if (!robots.isAllowed(start)) {
            emit(CrawledPage.without(start, Status.SKIPPED, null, List.of(), "disallowed by robots.txt", 0));
        } else {
            queuedOrFetched++;
            frontier.add(new Target(start, 0, !scope.allowed(start)));
        }
        sitemapPages.forEach(url -> discover(url, 1));
        // Pages known from the last crawl are seeds too: a page answering 304 is not parsed, so links that only it
        // carries would otherwise go unseen and the pipeline would wrongly take their pages for gone.
        knownPages.forEach(url -> discover(url, 1));
        seeded = true;
        pump();
    }

    private void pump() {
        if (finished || !seeded) {
            return;
        }
        if (progress.cancelled() || emitter.isCancelled()) {
            frontier.clear();
        }
        while (inFlight < CONCURRENCY && inFlight < emitter.requested() && !frontier.isEmpty()) {
            Target target = frontier.poll();
            inFlight++;
            fetcher.fetch(target, seen)
                    .emitOn(onContext)
                    .subscribe().with(outcome -> completed(target, outcome), failure -> {
                        Log.errorf(failure, "Unexpected failure crawling %s", target.url());
                        completed(target, PageFetcher.Outcome.failed(target, "internal error: " + failure, true));
                    });
        }
        if (inFlight == 0 && frontier.isEmpty()) {
            finish();
        }
    }

    private void completed(Target target, PageFetcher.Outcome outcome) {
        inFlight--;
        outcome.page().ifPresent(this::emit);
        if (outcome.hidesPages()) {
            progress.cutShort("a page failed, links behind it unknown: " + target.url() + " ("
                    + outcome.page().map(CrawledPage::error).orElse("?") + ")");
        }
        for (String link : outcome.links()) {
            discover(link, target.depth() + 1);
        }
        pump();
    }

    private void discover(String url, int depth) {
        if (!scope.onSite(url) || seen.contains(url)) {
            return;
        }
        if (!scope.allowed(url)) {
            seen.add(url);
            return;
        }
        if (depth > source.maxDepth()) {
            progress.cutShort("max-depth " + source.maxDepth() + " reached (first unfollowed: " + url + ")");
            return;
        }
        seen.add(url);
        progress.discoveredOne();
        if (SiteScope.looksBinary(url) && !(pdfs && SiteScope.looksPdf(url))) {
            emit(CrawledPage.without(url, Status.SKIPPED, null, List.of(), "not HTML (by extension)", depth));
        } else if (!robots.isAllowed(url)) {
            emit(CrawledPage.without(url, Status.SKIPPED, null, List.of(), "disallowed by robots.txt", depth));
        } else if (queuedOrFetched >= source.maxPages()) {
            progress.cutShort("max-pages " + source.maxPages() + " reached (first unfetched: " + url + ")");
        } else {
            queuedOrFetched++;
            frontier.add(new Target(url, depth, false));
        }
    }

    private void emit(CrawledPage page) {
        if (finished || emitter.isCancelled()) {
            return;
        }
        progress.emitted(page);
        emitter.emit(page);
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        progress.finish();
        client.close();
        Log.debugf("Crawl of %s ended: %s", scope.baseUrl(), progress);
        emitter.complete();
    }

    /** The subscriber went away (or the stream ended): a crawl nobody reads is a cancelled one. */
    private void terminated() {
        if (!finished) {
            progress.cancel();
            frontier.clear();
            finished = true;
            progress.finish();
            client.close();
        }
    }
}
