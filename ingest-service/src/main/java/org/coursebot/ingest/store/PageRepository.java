package org.coursebot.ingest.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The SQL of {@code page}: what was fetched from where, when, and with which validators. */
@ApplicationScoped
public class PageRepository {

    private static final String LOAD = """
            SELECT url, etag, last_modified, content_hash, links FROM page WHERE source = $1
            """;

    private static final String UPSERT = """
            INSERT INTO page (source, url, etag, last_modified, content_hash, links, last_seen)
            VALUES ($1, $2, $3, $4, $5, $6, now())
            ON CONFLICT (source, url) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,
                                                    content_hash = EXCLUDED.content_hash, links = EXCLUDED.links,
                                                    last_seen = now()
            """;

    private static final String TOUCH = """
            UPDATE page SET last_seen = now(), etag = coalesce($3, etag), last_modified = coalesce($4, last_modified),
                   links = coalesce($5, links)
             WHERE source = $1 AND url = $2
            """;

    private static final String DELETE = "DELETE FROM page WHERE source = $1 AND url = $2";

    private final Pool pool;

    public PageRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every page of a source, by url. */
    public Uni<Map<String, StoredPage>> load(String source) {
        return pool.preparedQuery(LOAD).execute(Tuple.of(source)).map(rows -> {
            Map<String, StoredPage> pages = new HashMap<>();
            rows.forEach(r -> pages.put(r.getString("url"), new StoredPage(r.getString("url"), r.getString("etag"),
                    r.getString("last_modified"), r.getString("content_hash"), List.of(r.getArrayOfStrings("links")))));
            return pages;
        });
    }

    public Uni<Void> upsert(SqlClient tx, String source, StoredPage page) {
        return tx.preparedQuery(UPSERT)
                .execute(Tuple.of(source, page.url(), page.etag(), page.lastModified(), page.contentHash(),
                        page.links().toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * An unchanged page: only its timestamp, any new validators and, when it was parsed ({@code links} not
     * null), its links are written.
     */
    public Uni<Void> touch(String source, String url, String etag, String lastModified, List<String> links) {
        return pool.preparedQuery(TOUCH).execute(Tuple.of(source, url, etag, lastModified,
                links == null ? null : links.toArray(String[]::new))).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient tx, String source, String url) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(source, url)).replaceWithVoid();
    }

    /** Urls of a source's pages that are not in {@code seen}: gone from a complete crawl. */
    public static List<String> missing(Map<String, StoredPage> stored, java.util.Set<String> seen) {
        List<String> gone = new ArrayList<>();
        stored.keySet().stream().filter(url -> !seen.contains(url)).sorted().forEach(gone::add);
        return gone;
    }

    /** A page as stored: its conditional-GET validators, the hash of its chunks and its outgoing links. */
    public record StoredPage(String url, String etag, String lastModified, String contentHash, List<String> links) {

        public StoredPage {
            links = links == null ? List.of() : List.copyOf(links);
        }
    }
}
