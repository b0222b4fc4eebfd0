package org.coursebot.ingest.pipeline;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.crawl.CrawlProgress;
import org.coursebot.ingest.crawl.CrawledPage;
import org.coursebot.ingest.crawl.Crawler;
import org.coursebot.ingest.crawl.PageValidators;
import org.coursebot.ingest.crawl.SourcesConfig.Source;
import org.coursebot.ingest.embed.EmbeddedTexts;
import org.coursebot.ingest.embed.EmbeddingPlan;
import org.coursebot.ingest.embed.EmbeddingService;
import org.coursebot.ingest.embed.EmbeddingUsage;
import org.coursebot.ingest.extract.ExtractionSettings;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.ingest.store.ChunkRepository;
import org.coursebot.ingest.store.PageRepository;
import org.coursebot.ingest.store.PageRepository.StoredPage;
import org.coursebot.ingest.store.RunRepository;
import org.coursebot.model.CourseChunk;

/**
 * crawl → extract → chunk → diff → embed what changed → upsert, one transaction per page → delete what is gone.
 * A page that fails is recorded and left as it was; a crawl cut short never deletes what it did not reach.
 */
@ApplicationScoped
public class IngestPipeline {

    private final Crawler crawler;
    private final PageRepository pages;
    private final ChunkRepository chunks;
    private final RunRepository runs;
    private final EmbeddingService embedding;
    private final IngestConfig config;
    private final Pool pool;

    public IngestPipeline(Crawler crawler, PageRepository pages, ChunkRepository chunks, RunRepository runs,
                          EmbeddingService embedding, IngestConfig config, Pool pool) {
        this.crawler = crawler;
        this.pages = pages;
        this.chunks = chunks;
        this.runs = runs;
        this.embedding = embedding;
        this.config = config;
        this.pool = pool;
    }

    /** Runs to the end and returns the final status: succeeded, failed or cancelled. */
    public Uni<String> run(long runId, String sourceName, Source source, boolean dryRun, RunProgress progress) {
        return pages.load(sourceName).chain(stored -> {
            Run run = new Run(runId, sourceName, dryRun, stored, new PageChunker(settings(source)), progress);
            return crawler.crawl(sourceName, source, validators(stored), run.crawl)
                    .onItem().transformToMultiAndConcatenate(page -> prepare(run, page).toMulti())
                    .group().intoLists().of(config.pageGroupSize(), config.pageGroupWait())
                    .onItem().transformToUniAndConcatenate(group -> embedAndWrite(run, group))
                    .collect().last()
                    .chain(() -> removeGone(run))
                    .chain(() -> finish(run));
        }).onFailure().recoverWithUni(e -> {
            Log.errorf(e, "ingest run %d stopped", runId);
            progress.fail(null, "run stopped: " + e.getMessage());
            return runs.finish(runId, "failed").onFailure().recoverWithNull().replaceWith("failed");
        });
    }

    private ExtractionSettings settings(Source source) {
        ExtractionSettings defaults = ExtractionSettings.defaults();
        return new ExtractionSettings(source.partPattern().map(Pattern::compile).orElse(defaults.partPattern()),
                source.mainSelector().orElse(defaults.mainSelector()), config.chunkTokens(), config.overlapTokens());
    }

    private static Map<String, PageValidators> validators(Map<String, StoredPage> stored) {
        Map<String, PageValidators> known = new HashMap<>();
        stored.values().forEach(p -> known.put(p.url(), new PageValidators(p.etag(), p.lastModified())));
        return known;
    }

    /** Everything short of embedding; emits the page only when some of its chunks need writing. */
    private Uni<PendingPage> prepare(Run run, CrawledPage page) {
        if (run.progress.cancelled()) {
            run.crawl.cancel();
        }
        run.progress.pagesDiscovered.set(run.crawl.discovered());
        Uni<PendingPage> prepared = switch (page.status()) {
            case NOT_MODIFIED -> {
                run.seen(page.url());
                run.progress.pagesSeen.incrementAndGet();
                yield unchanged(run, page);
            }
            case GONE -> {
                run.progress.pagesSeen.incrementAndGet();
                yield gone(run, page.url()).map(nothing -> (PendingPage) null);
            }
            case FAILED -> {
                run.seen(page.url());
                run.progress.fail(page.url(), page.error());
                yield Uni.createFrom().nullItem();
            }
            case SKIPPED -> Uni.createFrom().nullItem();
            case FETCHED -> fetched(run, page);
        };
        return prepared
                .onFailure().recoverWithItem(e -> {
                    run.progress.fail(page.url(), "prepare: " + e.getMessage());
                    return null;
                })
                .call(() -> reportProgress(run, false));
    }

    private Uni<PendingPage> unchanged(Run run, CrawledPage page) {
        run.progress.pagesUnchanged.incrementAndGet();
        if (run.dryRun) {
            return Uni.createFrom().nullItem();
        }
        PageValidators v = page.validators();  // never null: CrawledPage defaults it
        return pages.touch(run.source, page.url(), v.etag(), v.lastModified()).map(nothing -> (PendingPage) null);
    }

    private Uni<PendingPage> fetched(Run run, CrawledPage page) {
        run.seen(page.url());
        run.progress.pagesSeen.incrementAndGet();
        // jsoup and the tokenizer are CPU work: off the event loop, on the bounded worker pool.
        return Uni.createFrom().item(() -> run.chunker.chunk(run.source, page.url(), page.document()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(pageChunks -> {
                    String hash = pageHash(pageChunks);
                    StoredPage before = run.stored.get(page.url());
                    if (before != null && hash.equals(before.contentHash())) {
                        return unchanged(run, page);
                    }
                    return chunks.storedForPage(run.source, page.url()).map(storedChunks -> {
                        List<CourseChunk> toEmbed = pageChunks.stream().filter(c -> {
                            ChunkRepository.StoredChunk s = storedChunks.get(c.id());
                            return s == null || !s.contentHash().equals(c.contentHash())
                                    || !s.embeddingModel().equals(embedding.space().toString());
                        }).toList();
                        return new PendingPage(page, pageChunks, toEmbed, hash, before == null);
                    });
                });
    }

    /**
     * Embeds a group of pages' new chunks together (requests fill up across small pages), then writes each page
     * whose vectors all came back; a failed batch fails only the pages it carried.
     */
    private Uni<Void> embedAndWrite(Run run, List<PendingPage> group) {
        List<String> texts = group.stream().flatMap(p -> p.toEmbed().stream()).map(CourseChunk::embeddingText).toList();
        if (run.dryRun) {
            preview(run, group, texts);
            return Uni.createFrom().voidItem();
        }
        Uni<EmbeddedTexts> embedded = texts.isEmpty()
                ? Uni.createFrom().item(new EmbeddedTexts(List.of(), List.of()))
                : embedding.embedEach(texts, run.usage);
        return embedded.invoke(run::syncUsage).chain(result -> {
            List<Uni<Void>> writes = new ArrayList<>();
            int next = 0;
            for (PendingPage p : group) {
                Map<UUID, float[]> own = new HashMap<>();
                boolean complete = true;
                for (CourseChunk c : p.toEmbed()) {
                    float[] vector = result.vectors().get(next++);
                    complete &= vector != null;
                    own.put(c.id(), vector);
                }
                writes.add(complete ? write(run, p, own) : failPage(run, p, "embedding: " + failureOf(result)));
            }
            return Multi.createFrom().iterable(writes).onItem().transformToUniAndConcatenate(w -> w)
                    .collect().last().replaceWithVoid();
        });
    }

    /** A dry run plans the very groups a real run would embed, so its request count is the real one. */
    private void preview(Run run, List<PendingPage> group, List<String> texts) {
        EmbeddingPlan plan = embedding.plan(texts);
        run.progress.embeddingRequests.addAndGet(texts.isEmpty() ? 0 : plan.requests());
        run.progress.tokens.addAndGet(plan.tokens());
        run.progress.chunksEmbedded.addAndGet(texts.size());
        run.cost = run.cost.add(BigDecimal.valueOf(plan.estimatedCostUsd()));
        group.forEach(p -> run.countWritten(p, 0));
    }

    private static String failureOf(EmbeddedTexts result) {
        return result.failures().isEmpty() ? "no vector" : result.failures().get(0).failure().getMessage();
    }

    private Uni<Void> write(Run run, PendingPage p, Map<UUID, float[]> vectors) {
        String url = p.page().url();
        PageValidators v = p.page().validators();
        StoredPage row = new StoredPage(url, v == null ? null : v.etag(), v == null ? null : v.lastModified(), p.pageHash());
        return pool.withTransaction(tx -> chunks.replacePage(tx, run.source, url, p.chunks(), vectors, embedding.space().toString())
                        .call(() -> pages.upsert(tx, run.source, row)))
                .invoke(deleted -> run.countWritten(p, deleted))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> failPage(run, p, "database: " + e.getMessage()))
                .call(() -> reportProgress(run, false));
    }

    private Uni<Void> failPage(Run run, PendingPage p, String reason) {
        run.progress.fail(p.page().url(), reason);
        Log.warnf("page %s failed: %s", p.page().url(), reason);
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> gone(Run run, String url) {
        if (!run.stored.containsKey(url) || !run.goneHandled.add(url)) {
            return Uni.createFrom().voidItem();
        }
        run.progress.pagesGone.incrementAndGet();
        if (run.dryRun) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> chunks.deletePage(tx, run.source, url).call(() -> pages.delete(tx, run.source, url)))
                .invoke(n -> run.progress.chunksDeleted.addAndGet(n))
                .replaceWithVoid();
    }

    /** Pages the database has but a complete crawl no longer found. */
    private Uni<Void> removeGone(Run run) {
        if (!run.crawl.complete() || run.progress.cancelled()) {
            Log.infof("ingest run %d: crawl incomplete, no page is deleted", run.id);
            return Uni.createFrom().voidItem();
        }
        List<String> missing = PageRepository.missing(run.stored, run.seen);
        return Multi.createFrom().iterable(missing)
                .onItem().transformToUniAndConcatenate(url -> gone(run, url)
                        .onFailure().recoverWithItem(e -> {
                            run.progress.fail(url, "delete: " + e.getMessage());
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }

    private Uni<String> finish(Run run) {
        var counts = run.progress.snapshot();
        String status = run.progress.cancelled() ? "cancelled"
                : counts.pagesSeen() > 0 && counts.pagesFailed() >= counts.pagesSeen() ? "failed" : "succeeded";
        Log.infof("ingest run %d %s: %d pages seen (%d new, %d changed, %d unchanged, %d gone, %d failed),"
                        + " %d chunks embedded, %d deleted, %d embedding requests, %d tokens, $%s",
                run.id, status, counts.pagesSeen(), counts.pagesNew(), counts.pagesChanged(), counts.pagesUnchanged(),
                counts.pagesGone(), counts.pagesFailed(), counts.chunksEmbedded(), counts.chunksDeleted(),
                counts.embeddingRequests(), counts.tokens(), run.cost.setScale(6, java.math.RoundingMode.HALF_UP).toPlainString());
        return reportProgress(run, true).chain(() -> runs.finish(run.id, status)).replaceWith(status);
    }

    private Uni<Void> reportProgress(Run run, boolean force) {
        long now = System.nanoTime();
        int done = run.progress.pagesSeen.get();
        boolean due = done - run.lastReportedPages >= config.progressEveryPages()
                || now - run.lastReportNanos >= config.progressInterval().toNanos();
        if (!force && !due) {
            return Uni.createFrom().voidItem();
        }
        run.lastReportedPages = done;
        run.lastReportNanos = now;
        var c = run.progress.snapshot();
        if (!force) {
            Log.infof("ingest run %d: %d/%d pages, %d chunks embedded, %d tokens, %d errors", run.id, c.pagesSeen(),
                    Math.max(c.pagesDiscovered(), c.pagesSeen()), c.chunksEmbedded(), c.tokens(), c.pagesFailed());
        }
        return runs.progress(run.id, c, run.cost, run.progress.errors())
                .onFailure().invoke(e -> Log.warnf("ingest run %d: progress not saved: %s", run.id, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** What identifies a page's content for the diff: its chunks' hashes and citation urls, in order. */
    static String pageHash(List<CourseChunk> pageChunks) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (CourseChunk c : pageChunks) {
                sha.update((c.contentHash() + ' ' + c.url() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fetched page whose chunks must be written; {@code toEmbed} are those needing a new vector. */
    record PendingPage(CrawledPage page, List<CourseChunk> chunks, List<CourseChunk> toEmbed, String pageHash,
                       boolean isNew) {
    }

    /** The state of one run. */
    private final class Run {
        final long id;
        final String source;
        final boolean dryRun;
        final Map<String, StoredPage> stored;
        final PageChunker chunker;
        final RunProgress progress;
        final CrawlProgress crawl = new CrawlProgress();
        final EmbeddingUsage usage = new EmbeddingUsage();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final Set<String> goneHandled = ConcurrentHashMap.newKeySet();
        BigDecimal cost = BigDecimal.ZERO;
        int lastReportedPages;
        long lastReportNanos = System.nanoTime();

        Run(long id, String source, boolean dryRun, Map<String, StoredPage> stored, PageChunker chunker, RunProgress progress) {
            this.id = id;
            this.source = source;
            this.dryRun = dryRun;
            this.stored = stored;
            this.chunker = chunker;
            this.progress = progress;
        }

        void seen(String url) {
            seen.add(url);
        }

        void countWritten(PendingPage p, int deleted) {
            (p.isNew() ? progress.pagesNew : progress.pagesChanged).incrementAndGet();
            if (!dryRun) {
                progress.chunksEmbedded.addAndGet(p.toEmbed().size());
            }
            progress.chunksDeleted.addAndGet(deleted);
        }

        void syncUsage() {
            progress.embeddingRequests.set((int) usage.requests());
            progress.tokens.set(usage.tokens());
            cost = BigDecimal.valueOf(usage.estimatedCostUsd());
        }
    }
}
