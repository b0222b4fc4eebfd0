package org.coursebot.ingest.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.crawl.CrawledPage;
import org.coursebot.ingest.embed.EmbeddingService;
import org.coursebot.ingest.store.ChunkRepository;
import org.coursebot.ingest.store.ChunkRepository.StoredChunk;
import org.coursebot.ingest.store.PageRepository.StoredPage;
import org.coursebot.model.CourseChunk;

/**
 * What a fetched page changes: its chunks, and of those the ones that need a new vector (new text, or a vector
 * of another model). A page whose chunks hash as stored changes nothing.
 */
@ApplicationScoped
public class PageDiff {

    private final ChunkRepository chunks;
    private final EmbeddingService embedding;

    public PageDiff(ChunkRepository chunks, EmbeddingService embedding) {
        this.chunks = chunks;
        this.embedding = embedding;
    }

    /** The page's pending write, or null when its content is as stored. */
    Uni<PendingPage> diff(RunState run, CrawledPage page) {
        // jsoup and the tokenizer are CPU work: off the event loop, on the bounded worker pool.
        return Uni.createFrom().item(() -> run.chunker.chunk(run.source, page.url(), page.document()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(pageChunks -> {
                    String hash = pageHash(pageChunks);
                    StoredPage before = run.stored.get(page.url());
                    if (before != null && hash.equals(before.contentHash())) {
                        return Uni.createFrom().nullItem();
                    }
                    String space = embedding.space().toString();
                    return DatabaseRetry.transientFailures(chunks.storedForPage(run.source, page.url()))
                            .map(stored -> new PendingPage(page.url(), page.validators(), page.links(), pageChunks,
                                    needingVectors(pageChunks, stored, space), hash, before == null));
                });
    }

    private static List<CourseChunk> needingVectors(List<CourseChunk> pageChunks,
            java.util.Map<java.util.UUID, StoredChunk> stored, String space) {
        return pageChunks.stream().filter(c -> {
            StoredChunk s = stored.get(c.id());
            return s == null || !s.contentHash().equals(c.contentHash()) || !s.embeddingModel().equals(space);
        }).toList();
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
}
