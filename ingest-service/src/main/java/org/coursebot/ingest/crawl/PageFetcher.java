package org.coursebot.ingest.crawl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import crawlercommons.robots.BaseRobotRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.WorkerExecutor;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.coursebot.ingest.crawl.SiteCrawl.Target;

/**
 * Fetches one page: conditional GET, redirects followed by hand (at most {@value #MAX_REDIRECTS}, each hop checked
 * by the network guard, for loops, for the site's scope and robots.txt, and recorded), HTML parsed on the worker
 * pool or a PDF read by {@link PdfFetch}, canonical link honoured within the site. Every failure becomes a page with
 * a reason; nothing here ends the crawl, but every FAILED page other than a PDF marks the crawl incomplete: links
 * behind it (or, for the start page, the whole site) went unseen, so the pipeline must not conclude that unreached
 * pages are gone. Continuations that read or write the crawl's {@code seen} set run on the crawl's context.
 */
final class PageFetcher {

    static final int MAX_REDIRECTS = 5;

    private final SiteClient client;
    private final WorkerExecutor blocking;
    private final PdfFetch pdfs;
    private final SiteScope scope;
    private final Map<String, KnownPage> known;
    private final Executor onContext;
    private final HostThrottle throttle;
    private BaseRobotRules robots;

    /** A fetch's result: the page to emit (none when it turned out to duplicate another), its links. */
    record Outcome(Optional<CrawledPage> page, List<String> links, boolean hidesPages) {

        static Outcome failed(Target target, String reason, boolean hidesPages) {
            return of(CrawledPage.without(target.url(), Status.FAILED, null, List.of(), reason, target.depth()), hidesPages);
        }

        static Outcome of(CrawledPage page, boolean hidesPages) {
            return new Outcome(Optional.of(page), List.of(), hidesPages);
        }
    }

    PageFetcher(SiteClient client, WorkerExecutor blocking, PdfFetch pdfs, SiteScope scope,
            Map<String, KnownPage> known, Executor onContext, HostThrottle throttle) {
        this.client = client;
        this.blocking = blocking;
        this.pdfs = pdfs;
        this.scope = scope;
        this.known = known;
        this.onContext = onContext;
        this.throttle = throttle;
    }

    private PageValidators validatorsOf(String url) {
        KnownPage page = known.get(url);
        return page == null ? PageValidators.NONE : page.validators();
    }

    void useRobots(BaseRobotRules rules) {
        robots = rules;
    }

    HostThrottle throttle() {
        return throttle;
    }

    Uni<Outcome> fetch(Target target, Set<String> seen) {
        return hop(target, target.url(), new ArrayList<>(), seen);
    }

    private Uni<Outcome> hop(Target target, String url, List<String> left, Set<String> seen) {
        return client.get(url, validatorsOf(url), true)
                .emitOn(onContext)
                .chain(reply -> onReply(target, url, reply, left, seen))
                .onFailure(FetchException.class).recoverWithItem(e -> failed(target, url, left, (FetchException) e));
    }

    private Uni<Outcome> onReply(Target target, String url, SiteClient.Reply reply, List<String> left, Set<String> seen) {
        int status = reply.status();
        if (status >= 300 && status <= 399 && status != 304 && reply.location() != null) {
            return redirect(target, url, reply.location(), left, seen);
        }
        if (status == 304) {
            PageValidators sent = validatorsOf(url);
            PageValidators validators = new PageValidators(
                    reply.validators().etag() != null ? reply.validators().etag() : sent.etag(),
                    reply.validators().lastModified() != null ? reply.validators().lastModified() : sent.lastModified());
            // Not parsed, so the links stored with the page stand in for its own: pages behind it stay reachable.
            List<String> storedLinks = known.containsKey(url) ? known.get(url).links() : List.of();
            CrawledPage unchanged = CrawledPage.without(url, Status.NOT_MODIFIED, validators, left, null, target.depth())
                    .withLinks(storedLinks);
            return Uni.createFrom().item(new Outcome(Optional.of(unchanged), storedLinks, false));
        }
        if (status == 404 || status == 410) {
            return page(target, url, Status.GONE, null, left, "HTTP " + status, false);
        }
        if (status < 200 || status > 299) {
            return page(target, url, Status.FAILED, null, left, "HTTP " + status, true);
        }
        if (reply.body().pdf()) {
            // a PDF is known by its first bytes: served as application/octet-stream or under any name, it is read
            return pdfs.read(reply.body(), url, reply.validators(), left, target.depth())
                    .emitOn(onContext)
                    .map(page -> Outcome.of(page, false));
        }
        if (HtmlSniffer.isPdfType(reply.contentType()) && pdfs.enabled()) {
            return page(target, url, Status.FAILED, null, left, "PDF: not a PDF although served as "
                    + HtmlSniffer.mediaType(reply.contentType()) + " (no %PDF- header)", false);
        }
        if (!HtmlSniffer.isHtml(reply.contentType(), reply.bytes())) {
            return page(target, url, Status.SKIPPED, null, left, "not HTML: " + reply.contentType(), false);
        }
        // jsoup on a multi-megabyte page blocks for a while: parse on the bounded worker pool, not the event loop
        return blocking.executeBlocking(() -> ParsedPage.parse(reply.bytes(), reply.contentType(), url), false)
                .emitOn(onContext)
                .map(parsed -> parsed(target, url, reply.validators(), parsed, left, seen));
    }

    private Uni<Outcome> redirect(Target target, String url, String location, List<String> left, Set<String> seen) {
        left.add(url);
        Optional<String> resolved = UrlNormalizer.resolve(url, location);
        if (resolved.isEmpty()) {
            return ended(target, Status.FAILED, left, "redirect to an invalid URL: " + location);
        }
        String next = resolved.get();
        if (left.contains(next)) {
            return ended(target, Status.FAILED, left, "redirect loop: " + String.join(" -> ", left) + " -> " + next);
        }
        if (left.size() > MAX_REDIRECTS) {
            return ended(target, Status.FAILED, left, "too many redirects (more than " + MAX_REDIRECTS + ")");
        }
        if (!scope.onSite(next)) {
            // checked by address too, so a site bouncing the crawler towards internal hosts shows up as refused
            return client.checkHost(next)
                    .emitOn(onContext)
                    .chain(ok -> ended(target, Status.SKIPPED, left, "redirects off-site to " + next))
                    .onFailure(FetchException.class).recoverWithItem(e -> failed(target, target.url(), left, (FetchException) e));
        }
        if (!scope.allowed(next)) {
            return ended(target, Status.SKIPPED, left, "redirects to an excluded URL " + next);
        }
        if (!robots.isAllowed(next)) {
            return ended(target, Status.SKIPPED, left, "redirects to " + next + ", disallowed by robots.txt");
        }
        if (!seen.add(next)) {
            return Uni.createFrom().item(new Outcome(Optional.empty(), List.of(), false));
        }
        return hop(target, next, left, seen);
    }

    /** A redirect chain that ends without a page: reported under the URL the crawl asked for. */
    private static Uni<Outcome> ended(Target target, Status status, List<String> left, String error) {
        return page(target, target.url(), status, null, left, error, status == Status.FAILED);
    }

    private Outcome parsed(Target target, String url, PageValidators validators, ParsedPage parsed, List<String> left,
            Set<String> seen) {
        String canonical = parsed.canonical();
        String pageUrl = url;
        List<String> aliases = left;
        if (canonical != null && !canonical.equals(url) && scope.onSite(canonical) && scope.allowed(canonical)
                && robots.isAllowed(canonical)) {
            if (!seen.add(canonical)) {
                return new Outcome(Optional.empty(), parsed.links(), false);
            }
            pageUrl = canonical;
            aliases = new ArrayList<>(left);
            aliases.add(url);
        }
        CrawledPage page = target.linksOnly()
                ? CrawledPage.without(pageUrl, Status.SKIPPED, validators, aliases,
                        "excluded by include/exclude (crawled for its links only)", target.depth())
                : CrawledPage.fetched(pageUrl, parsed.document(), validators, aliases, target.depth(), parsed.links());
        return new Outcome(Optional.of(page), parsed.links(), false);
    }

    private static Uni<Outcome> page(Target target, String url, Status status, PageValidators validators,
            List<String> left, String error, boolean hidesPages) {
        return Uni.createFrom().item(Outcome.of(
                CrawledPage.without(url, status, validators, left, error, target.depth()), hidesPages));
    }

    private static Outcome failed(Target target, String url, List<String> left, FetchException e) {
        Status status = e.kind() == FetchException.Kind.NOT_HTML ? Status.SKIPPED : Status.FAILED;
        // a PDF links to nothing the crawl follows: one too large hides no page
        return Outcome.of(CrawledPage.without(url, status, null, left, e.getMessage(), target.depth()),
                status == Status.FAILED && e.kind() != FetchException.Kind.PDF_TOO_LARGE);
    }
}
