package org.coursebot.ingest.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.ingest.crawl.CrawledPage;
import org.coursebot.ingest.store.ChunkRepository;
import org.coursebot.ingest.store.ChunkRepository.StoredChunk;
import org.coursebot.ingest.store.PageRepository.StoredPage;
import org.coursebot.model.CourseChunk;

/**
 * What a fetched page changes: its chunks, those whose text is new or changed, and per space the ones that need a
 * new vector there (new text, or no vector of their current text in that space). A page whose chunks hash as stored changes nothing.
 */
@ApplicationScoped
public class PageDiff {

    private final ChunkRepository chunks;

    public PageDiff(ChunkRepository chunks) {
        this.chunks = chunks;
    }

    /** The page's pending write, or null when its content is as stored. */
    Uni<PendingPage> diff(RunState run, CrawledPage page) {
        // jsoup and the tokenizer are CPU work: off the event loop, on the bounded worker pool.
        return Uni.createFrom().item(() -> page.pdf() != null ? run.chunker.chunk(run.source, page.url(), page.pdf())
                        : run.chunker.chunk(run.source, page.url(), page.document()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(pageChunks -> {
                    String hash = pageHash(pageChunks);
                    StoredPage before = run.stored.get(page.url());
                    if (before != null && hash.equals(before.contentHash())) {
                        return Uni.createFrom().nullItem();
                    }
                    return DatabaseRetry.transientFailures(chunks.storedForPage(run.source, page.url(), run.spaces()))
                            .map(stored -> pending(run, page, pageChunks, stored, hash, before == null));
                });
    }

    private static PendingPage pending(RunState run, CrawledPage page, List<CourseChunk> pageChunks,
            Map<UUID, StoredChunk> stored, String hash, boolean isNew) {
        Set<UUID> textChanged = pageChunks.stream().filter(c -> {
            StoredChunk s = stored.get(c.id());
            return s == null || !s.contentHash().equals(c.contentHash());
        }).map(CourseChunk::id).collect(Collectors.toSet());
        Map<Integer, List<CourseChunk>> toEmbed = new LinkedHashMap<>();
        for (SpaceTarget target : run.targets) {
            int space = target.space().id();
            toEmbed.put(space, pageChunks.stream().filter(c -> {
                StoredChunk s = stored.get(c.id());
                return s == null || !c.contentHash().equals(s.vectorHashes().get(space));
            }).toList());
        }
        return new PendingPage(page.url(), page.validators(), page.links(), pageChunks, textChanged, toEmbed, hash, isNew);
    }

    /**
     * What identifies a page's content for the diff: its chunks' hashes, citation urls and content types, in order.
     * The type is in it so that a page fetched after its course's exercise settings changed is written again with its
     * new marking (its text unchanged: rows refreshed, nothing embedded).
     */
    static String pageHash(List<CourseChunk> pageChunks) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (CourseChunk c : pageChunks) {
                sha.update((c.contentHash() + ' ' + c.url() + ' ' + c.contentType().dbValue() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
