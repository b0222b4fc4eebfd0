package org.coursebot.ingest.crawl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.WorkerExecutor;

import org.coursebot.ingest.crawl.CrawledPage.Status;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.jsoup.Jsoup;

/**
 * Reads a local folder of HTML (a static-site build) as if it were crawled at base-url: {@code a/b.html} becomes
 * {@code base-url + a/b.html}, {@code a/index.html} becomes {@code base-url + a/}; its PDFs too, when the source
 * reads PDFs ({@code slides/l3.pdf} at {@code base-url + slides/l3.pdf}). Validators come from the file's
 * size and modification time, so an unchanged file is NOT_MODIFIED and is not even parsed. File access and
 * parsing are blocking: they run on the crawler's worker pool, one file at a time, pulled by the subscriber.
 */
final class DirectoryCrawl {

    private final Path root;
    private final Source source;
    private final SiteScope scope;
    private final Map<String, KnownPage> known;
    private final CrawlProgress progress;
    private final WorkerExecutor blocking;
    private final PdfFetch pdfs;

    /** An HTML file and the public URL it is published at. */
    record PageFile(Path file, String url, int depth) {
    }

    DirectoryCrawl(Source source, SiteScope scope, Map<String, KnownPage> known, CrawlProgress progress,
            WorkerExecutor blocking, PdfFetch pdfs) {
        this.root = Path.of(source.directory().orElseThrow()).toAbsolutePath().normalize();
        this.source = source;
        this.scope = scope;
        this.known = known;
        this.progress = progress;
        this.blocking = blocking;
        this.pdfs = pdfs;
    }

    Multi<CrawledPage> run() {
        return blocking.executeBlocking(this::list, false)
                .onItem().transformToMulti(files -> Multi.createFrom().iterable(files))
                .select().where(file -> !progress.cancelled())
                .onItem().transformToUniAndConcatenate(file -> blocking.executeBlocking(() -> read(file), false))
                .invoke(progress::emitted)
                .onCompletion().invoke(progress::finish)
                .onFailure().invoke(e -> {
                    progress.cutShort("directory " + root + " could not be read: " + e.getMessage());
                    progress.finish();
                });
    }

    private List<PageFile> list() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("not a directory: " + root);
        }
        List<PageFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> isHtml(f) || pdfs.enabled() && isPdf(f))
                    .sorted().toList()) {
                PageFile page = toPage(file);
                if (page == null || !scope.onSite(page.url()) || !scope.allowed(page.url())) {
                    continue;
                }
                progress.discoveredOne();
                if (files.size() >= source.maxPages()) {
                    progress.cutShort("max-pages " + source.maxPages() + " reached (first unread: " + file + ")");
                    break;
                }
                files.add(page);
            }
        }
        return files;
    }

    private static boolean isHtml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".html") || name.endsWith(".htm");
    }

    private static boolean isPdf(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf");
    }

    private PageFile toPage(Path file) {
        Path relative = root.relativize(file);
        StringBuilder path = new StringBuilder();
        for (Path segment : relative) {
            path.append(path.length() == 0 ? "" : "/").append(segment);
        }
        try {
            String encoded = new URI(null, null, path.toString(), null).toASCIIString();
            String base = scope.baseUrl().endsWith("/") ? scope.baseUrl()
                    : scope.baseUrl().substring(0, scope.baseUrl().lastIndexOf('/') + 1);
            return UrlNormalizer.normalize(base + encoded).map(url -> new PageFile(file, url, relative.getNameCount() - 1))
                    .orElse(null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private CrawledPage read(PageFile page) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(page.file(), BasicFileAttributes.class);
            long modified = attributes.lastModifiedTime().toMillis();
            PageValidators validators = new PageValidators(
                    "\"" + Long.toHexString(attributes.size()) + "-" + Long.toHexString(modified) + "\"",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            java.time.Instant.ofEpochMilli(modified).atOffset(ZoneOffset.UTC)));
            KnownPage previous = known.get(page.url());
            if (previous != null && validators.etag().equals(previous.validators().etag())) {
                return CrawledPage.without(page.url(), Status.NOT_MODIFIED, validators, List.of(), null, page.depth());
            }
            if (isPdf(page.file())) {
                return pdfs.readFile(page.file(), page.url(), validators, page.depth());
            }
            // charset from BOM or <meta>, else UTF-8, as for a fetched page without a Content-Type charset
            return CrawledPage.fetched(page.url(), Jsoup.parse(page.file().toFile(), null, page.url()), validators,
                    List.of(), page.depth(), List.of());
        } catch (IOException | UncheckedIOException e) {
            return CrawledPage.without(page.url(), Status.FAILED, null, List.of(), "unreadable file: " + e.getMessage(),
                    page.depth());
        }
    }
}
