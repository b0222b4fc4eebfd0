package org.coursebot.chat.migrate;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Checks that a cited url lands where it says: a url without a fragment is valid; with one, the page as
 * fetched now must have an element with that id, or an {@code a[name]} with it (what browsers scroll to). A PDF's
 * page ({@code file.pdf#page=N}, issue 33) is valid when the PDF answers as one.
 * Each page is fetched once per validator; make one per comparison so pages are fetched as they are now.
 */
final class CitationValidator implements AutoCloseable {

    private static final int TIMEOUT_MS = 15_000;

    private final WebClient client;
    private static final Pattern PDF_PAGE = Pattern.compile("page=[1-9][0-9]*");

    private final Map<String, Uni<Set<String>>> anchors = new ConcurrentHashMap<>();
    private final Map<String, Uni<Boolean>> pdfs = new ConcurrentHashMap<>();

    CitationValidator(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(true)
                .setConnectTimeout(TIMEOUT_MS).setUserAgent("coursebot-compare"));
    }

    /** True when the url has no fragment or its fragment resolves in the page; false when the page cannot be fetched. */
    Uni<Boolean> resolves(String url) {
        int hash = url.indexOf('#');
        if (hash < 0) {
            return Uni.createFrom().item(true);
        }
        String fragment = URLDecoder.decode(url.substring(hash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (PDF_PAGE.matcher(fragment).matches()) {
            return pdfs.computeIfAbsent(url.substring(0, hash), p -> isPdf(p).memoize().indefinitely());
        }
        return anchorsOf(url.substring(0, hash)).map(names -> names.contains(fragment));
    }

    /**
     * Whether a document answers a HEAD as a PDF (its type, else its name). Its body is not read: a PDF may weigh
     * 25 MB and chat-service's heap is 20 MB, so it holds no PDF reader either; that the cited page exists was
     * settled when ingest-service read the text from that page.
     */
    private Uni<Boolean> isPdf(String document) {
        return Uni.createFrom().deferred(() -> client.headAbs(document).timeout(TIMEOUT_MS).send())
                .map(r -> r.statusCode() == 200 && (String.valueOf(r.getHeader("Content-Type")).startsWith("application/pdf")
                        || document.toLowerCase(java.util.Locale.ROOT).replaceFirst("[?].*$", "").endsWith(".pdf")))
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("cannot fetch %s: %s", document, e.getMessage());
                    return false;
                });
    }

    private Uni<Set<String>> anchorsOf(String page) {
        return anchors.computeIfAbsent(page, p -> fetch(p).memoize().indefinitely());
    }

    private Uni<Set<String>> fetch(String page) {
        return Uni.createFrom().deferred(() -> client.getAbs(page).timeout(TIMEOUT_MS).send())
                .map(r -> r.statusCode() == 200 ? r.bodyAsString() : null)
                // jsoup on a big page is CPU work: off the event loop, on the bounded default worker pool.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(html -> html == null ? Set.<String>of() : anchors(Jsoup.parse(html, page)))
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("cannot fetch %s: %s", page, e.getMessage());
                    return Set.of();
                });
    }

    /** Every id a fragment can name: element ids (the first one wins, but any one resolves) and a[name]. */
    static Set<String> anchors(Document doc) {
        Set<String> names = new HashSet<>();
        for (Element e : doc.select("[id]")) {
            names.add(e.id());
        }
        for (Element a : doc.select("a[name]")) {
            names.add(a.attr("name"));
        }
        return names;
    }

    @Override
    public void close() {
        client.close();
    }
}
