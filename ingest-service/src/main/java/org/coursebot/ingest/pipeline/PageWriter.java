package org.coursebot.ingest.pipeline;

import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.crawl.CrawledPage;
import org.coursebot.ingest.crawl.PageValidators;
import org.coursebot.ingest.store.ChunkRepository;
import org.coursebot.ingest.store.ChunkRepository.SpaceWrite;
import org.coursebot.ingest.store.PageRepository;
import org.coursebot.ingest.store.PageRepository.StoredPage;

/**
 * Writes what a run learnt of one page, each page in one transaction: all of its chunks and its page row (with
 * validators and links) or nothing, so no page is ever left half old and half new. Transient database failures
 * are retried ({@link DatabaseRetry}); any other failure fails that page alone, which stays as it was.
 */
@ApplicationScoped
public class PageWriter {

    private final Pool pool;
    private final PageRepository pages;
    private final ChunkRepository chunks;

    public PageWriter(Pool pool, PageRepository pages, ChunkRepository chunks) {
        this.pool = pool;
        this.pages = pages;
        this.chunks = chunks;
    }

    /** Replaces the page's chunks (with these new vectors, per space) and its page row. */
    Uni<Void> write(RunState run, PendingPage p, List<SpaceWrite> vectors) {
        PageValidators v = p.validators();
        StoredPage row = new StoredPage(p.url(), v.etag(), v.lastModified(), p.pageHash(), p.links());
        int written = vectors.stream().mapToInt(w -> w.vectors().size()).sum();
        return DatabaseRetry.transientFailures(pool.withTransaction(tx -> chunks.replacePage(tx, run.source, p.url(),
                        p.chunks(), p.textChanged(), vectors).call(() -> pages.upsert(tx, run.source, row))))
                .invoke(deleted -> run.countWritten(p, deleted, written))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> fail(run, p.url(), "database: " + e.getMessage()));
    }

    /** An unchanged page: its validators and, when it was parsed, its links; never its chunks. */
    Uni<Void> touch(RunState run, CrawledPage page) {
        run.progress.pagesUnchanged.incrementAndGet();
        if (run.dryRun) {
            return Uni.createFrom().voidItem();
        }
        PageValidators v = page.validators();
        List<String> links = page.status() == CrawledPage.Status.FETCHED ? page.links() : null;
        return DatabaseRetry.transientFailures(pages.touch(run.source, page.url(), v.etag(), v.lastModified(), links))
                .onFailure().recoverWithUni(e -> fail(run, page.url(), "database: " + e.getMessage()));
    }

    /** Removes a page that is gone from the site (404/410, or missing from a complete crawl), once per run. */
    Uni<Void> gone(RunState run, String url) {
        if (!run.stored.containsKey(url) || !run.goneHandled.add(url)) {
            return Uni.createFrom().voidItem();
        }
        run.progress.pagesGone.incrementAndGet();
        if (run.dryRun) {
            return Uni.createFrom().voidItem();
        }
        return DatabaseRetry.transientFailures(pool.withTransaction(tx -> chunks.deletePage(tx, run.source, url)
                        .call(() -> pages.delete(tx, run.source, url))))
                .invoke(n -> run.progress.chunksDeleted.addAndGet(n))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> fail(run, url, "delete: " + e.getMessage()));
    }

    /** Records a failed page; it is left as it was, and the next run tries it again. */
    Uni<Void> fail(RunState run, String url, String reason) {
        run.progress.fail(url, reason);
        Log.warnf("ingest run %d: page %s failed: %s", run.id, url, reason);
        return Uni.createFrom().voidItem();
    }
}
