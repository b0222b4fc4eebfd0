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
            SELECT url, etag, last_modified, content_hash FROM page WHERE source = $1
            """;

    private static final String UPSERT = """
            INSERT INTO page (source, url, etag, last_modified, content_hash, last_seen)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (source, url) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,
                                                    content_hash = EXCLUDED.content_hash, last_seen = now()
            """;

    private static final String TOUCH = """
            UPDATE page SET last_seen = now(), etag = coalesce($3, etag), last_modified = coalesce($4, last_modified)
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
                    r.getString("last_modified"), r.getString("content_hash"))));
            return pages;
        });
    }

    public Uni<Void> upsert(SqlClient tx, String source, StoredPage page) {
        return tx.preparedQuery(UPSERT)
                .execute(Tuple.of(source, page.url(), page.etag(), page.lastModified(), page.contentHash()))
                .replaceWithVoid();
    }

    /** An unchanged page: only its timestamp (and any new validators) are written. */
    public Uni<Void> touch(String source, String url, String etag, String lastModified) {
        return pool.preparedQuery(TOUCH).execute(Tuple.of(source, url, etag, lastModified)).replaceWithVoid();
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

    /** A page as stored: its conditional-GET validators and the hash of its chunks. */
    public record StoredPage(String url, String etag, String lastModified, String contentHash) {
    }
}
