package org.coursebot.ingest.crawl;

import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.WorkerExecutor;

/**
 * What a site says about itself before any page is read: robots.txt (rules, Crawl-delay, Sitemap lines) and
 * its sitemaps (index files followed), both parsed with crawler-commons. A missing file (4xx) means "no rules"
 * and "no sitemap"; an unreachable one is reported through {@link CrawlProgress#cutShort(String)} because pages
 * may then be missed.
 */
final class SiteDiscovery {

    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_SITEMAPS = 50;

    private final SiteClient client;
    private final WorkerExecutor blocking;
    private final SiteScope scope;
    private final CrawlProgress progress;
    private final String robotName;

    SiteDiscovery(SiteClient client, WorkerExecutor blocking, SiteScope scope, CrawlProgress progress, String userAgent) {
        this.client = client;
        this.blocking = blocking;
        this.scope = scope;
        this.progress = progress;
        this.robotName = userAgent.strip().split("[/\\s]", 2)[0].toLowerCase(Locale.ROOT);
    }

    /** A fetched resource (robots.txt, a sitemap) after redirects within the site's origin. */
    private record Resource(String url, SiteClient.Reply reply) {
    }

    /** The site's robots.txt rules; allow-all when it has none, disallow-all when it cannot be read (RFC 9309). */
    Uni<BaseRobotRules> robots() {
        String url = scope.origin() + "/robots.txt";
        SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
        return fetch(url, 0).map(resource -> {
            int status = resource.reply().status();
            if (status >= 200 && status <= 299) {
                return (BaseRobotRules) parser.parseContent(resource.url(), resource.reply().bytes(),
                        resource.reply().contentType(), List.of(robotName));
            }
            if (status >= 500 || status == 429) {
                progress.cutShort("robots.txt unavailable (HTTP " + status + "): nothing fetched");
                return parser.failedFetch(status);
            }
            return parser.failedFetch(404);
        }).onFailure(FetchException.class).recoverWithItem(e -> {
            FetchException failure = (FetchException) e;
            if (failure.kind() == FetchException.Kind.REFUSED || !failure.transientFailure()) {
                // pages on a refused host are refused one by one with the reason; rules are moot there
                return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
            }
            progress.cutShort("robots.txt unavailable (" + failure.getMessage() + "): nothing fetched");
            return parser.failedFetch(503);
        });
    }

    /** Page URLs listed by the site's sitemaps: robots.txt Sitemap lines, then base-url's and the root's sitemap.xml. */
    Uni<List<String>> sitemapUrls(BaseRobotRules robots) {
        Set<String> candidates = new LinkedHashSet<>();
        robots.getSitemaps().forEach(s -> UrlNormalizer.normalize(s).ifPresent(candidates::add));
        candidates.add(scope.baseUrl().substring(0, scope.baseUrl().lastIndexOf('/') + 1) + "sitemap.xml");
        candidates.add(scope.origin() + "/sitemap.xml");
        List<String> pages = new ArrayList<>();
        Set<String> visited = new LinkedHashSet<>();
        return Multi.createFrom().iterable(candidates)
                .onItem().transformToUniAndConcatenate(url -> sitemap(url, 0, visited, pages))
                .collect().last()
                .replaceWith(pages);
    }

    private Uni<Void> sitemap(String url, int nesting, Set<String> visited, List<String> pages) {
        if (!url.startsWith(scope.origin() + "/") || visited.size() >= MAX_SITEMAPS || !visited.add(url)) {
            return Uni.createFrom().voidItem();
        }
        return fetch(url, 0)
                .chain(resource -> parseSitemap(resource))
                .chain(parsed -> {
                    if (parsed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    if (parsed.get() instanceof SiteMapIndex index) {
                        List<String> children = index.getSitemaps().stream().map(s -> s.getUrl().toString())
                                .map(UrlNormalizer::normalize).flatMap(Optional::stream).toList();
                        return nesting >= 2 ? Uni.createFrom().voidItem()
                                : Multi.createFrom().iterable(children)
                                        .onItem().transformToUniAndConcatenate(c -> sitemap(c, nesting + 1, visited, pages))
                                        .collect().last().replaceWithVoid();
                    }
                    for (SiteMapURL entry : ((SiteMap) parsed.get()).getSiteMapUrls()) {
                        UrlNormalizer.normalize(entry.getUrl().toString()).ifPresent(pages::add);
                    }
                    return Uni.createFrom().voidItem();
                })
                .onFailure(FetchException.class).recoverWithUni(e -> {
                    if (((FetchException) e).transientFailure()) {
                        progress.cutShort("sitemap " + url + " unavailable: " + e.getMessage());
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    /** Sitemap XML is parsed on the worker pool: a 50,000-entry sitemap is several MB of SAX work. */
    private Uni<Optional<AbstractSiteMap>> parseSitemap(Resource resource) {
        int status = resource.reply().status();
        if (status >= 500 || status == 429) {
            progress.cutShort("sitemap " + resource.url() + " unavailable: HTTP " + status);
        }
        if (status < 200 || status > 299 || resource.reply().bytes() == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return blocking.executeBlocking(() -> {
            try {
                return Optional.of(new SiteMapParser(false).parseSiteMap(resource.reply().contentType(),
                        resource.reply().bytes(), new URL(resource.url())));
            } catch (Exception e) {
                Log.warnf("Sitemap %s could not be parsed: %s", resource.url(), e.getMessage());
                return Optional.<AbstractSiteMap>empty();
            }
        }, false);
    }

    /** GETs a resource, following up to 5 redirects that stay on the site's origin; others end as 404. */
    private Uni<Resource> fetch(String url, int hops) {
        return client.get(url, PageValidators.NONE, false).chain(reply -> {
            if (reply.status() < 300 || reply.status() > 399 || reply.location() == null) {
                return Uni.createFrom().item(new Resource(url, reply));
            }
            Optional<String> next = UrlNormalizer.resolve(url, reply.location());
            if (hops >= MAX_REDIRECTS || next.isEmpty() || !next.get().startsWith(scope.origin() + "/")
                    || next.get().equals(url)) {
                Log.debugf("%s redirects to %s: not followed", url, reply.location());
                return Uni.createFrom().item(new Resource(url, new SiteClient.Reply(404, null, null, null, null)));
            }
            return fetch(next.get(), hops + 1);
        });
    }
}
