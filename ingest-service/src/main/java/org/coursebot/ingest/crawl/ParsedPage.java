package org.coursebot.ingest.crawl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** A parsed HTML page with what the crawl needs from it: its canonical URL and its outgoing links. */
record ParsedPage(Document document, String canonical, List<String> links) {

    /**
     * Parses HTML bytes. The charset comes from the Content-Type header when it names one, else jsoup reads the
     * BOM or the {@code <meta charset>} / {@code http-equiv} declaration, else UTF-8. Links resolve against
     * {@code <base href>} when the page has one, as browsers do. Blocking and CPU-bound on big pages: callers run
     * it on the crawler's worker pool.
     */
    static ParsedPage parse(byte[] body, String contentType, String url) {
        Document document;
        try {
            document = Jsoup.parse(new ByteArrayInputStream(body), HtmlSniffer.charset(contentType), url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ParsedPage(document, canonical(document), links(document));
    }

    private static String canonical(Document document) {
        Element link = document.selectFirst("link[rel~=(?i)^canonical$][href]");
        return link == null ? null : UrlNormalizer.normalize(link.absUrl("href")).orElse(null);
    }

    private static List<String> links(Document document) {
        Set<String> links = new LinkedHashSet<>();
        for (Element a : document.select("a[href], area[href]")) {
            UrlNormalizer.normalize(a.absUrl("href")).ifPresent(links::add);
        }
        return List.copyOf(links);
    }
}
