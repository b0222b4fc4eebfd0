package org.coursebot.ingest.crawl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.WorkerExecutor;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.pdf.PdfReader;
import org.coursebot.ingest.pdf.UnreadablePdfException;

/**
 * Reads one crawl's PDFs into pages: on a worker pool of one thread, so at most one PDF is in PDFBox's hands at a
 * time whatever the crawl's concurrency (its memory is the bound of one document), and the spooled body is
 * deleted as soon as it is read. A PDF that cannot be read is a FAILED page with the reason ("PDF: encrypted: ...");
 * it hides no other page, so the crawl stays complete.
 */
final class PdfFetch {

    private final boolean enabled;
    private final long maxBytes;
    private final PdfReader reader;
    private final WorkerExecutor pdfWorker;

    PdfFetch(Source source, WorkerExecutor pdfWorker, Path scratchDirectory) {
        this.enabled = source.pdf().enabled();
        this.maxBytes = source.pdf().maxBytes();
        this.reader = new PdfReader(source.pdf().maxPages(), source.maxPageBytes(), scratchDirectory);
        this.pdfWorker = pdfWorker;
    }

    boolean enabled() {
        return enabled;
    }

    /** The most bytes of a PDF fetched; 0 when PDFs are not read. */
    long maxBytes() {
        return enabled ? maxBytes : 0;
    }

    /** A fetched PDF's page; never fails (an unreadable PDF is a FAILED page). */
    Uni<CrawledPage> read(ResponseBody body, String url, PageValidators validators, List<String> redirects, int depth) {
        return pdfWorker.executeBlocking(() -> {
            try {
                return page(url, body.file() != null ? reader.read(body.file()) : reader.read(body.bytes()),
                        validators, redirects, depth);
            } catch (UnreadablePdfException e) {
                return CrawledPage.without(url, Status.FAILED, null, redirects, "PDF: " + e.getMessage(), depth);
            } finally {
                body.delete();
            }
        }, false);
    }

    /** A PDF file of a local folder; blocking: the caller is on a worker pool already. */
    CrawledPage readFile(Path file, String url, PageValidators validators, int depth) {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                return CrawledPage.without(url, Status.FAILED, null, List.of(), "PDF too large: more than " + maxBytes
                        + " bytes", depth);
            }
            return page(url, reader.read(file), validators, List.of(), depth);
        } catch (UnreadablePdfException e) {
            return CrawledPage.without(url, Status.FAILED, null, List.of(), "PDF: " + e.getMessage(), depth);
        } catch (java.io.IOException e) {
            return CrawledPage.without(url, Status.FAILED, null, List.of(), "unreadable file: " + e.getMessage(), depth);
        }
    }

    private static CrawledPage page(String url, org.coursebot.ingest.pdf.PdfText pdf, PageValidators validators,
            List<String> redirects, int depth) {
        return CrawledPage.fetchedPdf(url, pdf, validators, redirects, depth);
    }
}
