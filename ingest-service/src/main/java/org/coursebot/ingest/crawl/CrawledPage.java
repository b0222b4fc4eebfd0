package org.coursebot.ingest.crawl;

import java.util.List;

import org.coursebot.ingest.pdf.PdfText;
import org.jsoup.nodes.Document;

/**
 * One page a crawl reached. {@code url} is the normalised final URL (after redirects and a same-site canonical
 * link) and is what citations use; {@code redirects} lists the URLs that led to it, in order; a {@link Status#FETCHED}
 * page has either its HTML {@code document} or, for a PDF, its {@code pdf} text; {@code error} says why a page was
 * not fetched (FAILED, GONE, SKIPPED); {@code links} are its outgoing links (parsed, or as stored when it answered
 * 304), kept for the next crawl.
 */
public record CrawledPage(String url, Status status, Document document, PdfText pdf, PageValidators validators,
        List<String> redirects, String error, int depth, List<String> links) {

    /** What happened to a page. */
    public enum Status {
        /** Fetched and parsed: {@code document} (HTML) or {@code pdf} is set. */
        FETCHED,
        /** The server (or the file's size and time) says it is unchanged since the validators given: no body. */
        NOT_MODIFIED,
        /** 404 or 410: the page is no longer on the site. */
        GONE,
        /** Could not be fetched this time (timeout, 5xx, other 4xx, too large, redirect loop, refused address). */
        FAILED,
        /** Deliberately not treated as a page: disallowed by robots.txt, not HTML, excluded, redirected off-site. */
        SKIPPED
    }

    public CrawledPage {
        redirects = redirects == null ? List.of() : List.copyOf(redirects);
        validators = validators == null ? PageValidators.NONE : validators;
        links = links == null ? List.of() : List.copyOf(links);
    }

    static CrawledPage fetched(String url, Document document, PageValidators validators, List<String> redirects,
            int depth, List<String> links) {
        return new CrawledPage(url, Status.FETCHED, document, null, validators, redirects, null, depth, links);
    }

    static CrawledPage fetchedPdf(String url, PdfText pdf, PageValidators validators, List<String> redirects, int depth) {
        return new CrawledPage(url, Status.FETCHED, null, pdf, validators, redirects, null, depth, List.of());
    }

    static CrawledPage without(String url, Status status, PageValidators validators, List<String> redirects,
            String error, int depth) {
        return new CrawledPage(url, status, null, null, validators, redirects, error, depth, List.of());
    }

    /** The same page with these links (a 304 carries the links stored with the page). */
    CrawledPage withLinks(List<String> pageLinks) {
        return new CrawledPage(url, status, document, pdf, validators, redirects, error, depth, pageLinks);
    }
}
