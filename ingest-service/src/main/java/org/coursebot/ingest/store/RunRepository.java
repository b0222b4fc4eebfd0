package org.coursebot.ingest.store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The SQL of {@code ingest_run}. */
@ApplicationScoped
public class RunRepository {

    /** Takes the session-level advisory lock {@code key} on {@code connection} if no session holds it (IngestLock). */
    static Uni<Boolean> tryAdvisoryLock(SqlConnection connection, long key) {
        return connection.preparedQuery("SELECT pg_try_advisory_lock($1) AS locked").execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** Frees the advisory lock {@code key} that {@code connection}'s session holds. */
    static Uni<Void> advisoryUnlock(SqlConnection connection, long key) {
        return connection.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(key)).replaceWithVoid();
    }


    /** Errors kept per run; the count of pages failed stays exact. */
    public static final int MAX_ERRORS = 100;

    private static final String COLUMNS = """
            id, source, trigger, dry_run, status, reason, started, finished, pages_discovered, pages_seen, pages_unchanged,
            pages_changed, pages_new, pages_gone, pages_failed, chunks_embedded, chunks_deleted,
            embedding_requests, embedding_retries, tokens, estimated_cost_usd, errors, space_id
            """;

    private static final String START = """
            INSERT INTO ingest_run (source, trigger, dry_run, status, space_id) VALUES ($1, $2, $3, 'running', $4)
            RETURNING id
            """;

    private static final String PROGRESS = """
            UPDATE ingest_run SET pages_discovered = $2, pages_seen = $3, pages_unchanged = $4, pages_changed = $5,
                   pages_new = $6, pages_gone = $7, pages_failed = $8, chunks_embedded = $9, chunks_deleted = $10,
                   embedding_requests = $11, tokens = $12, estimated_cost_usd = $13, errors = $14, embedding_retries = $15
             WHERE id = $1
            """;

    private static final String FINISH = """
            UPDATE ingest_run SET status = $2, reason = $3, finished = now() WHERE id = $1 AND status = 'running'
            """;

    // Only called while holding the ingest lock: a run still 'running' then belongs to a process that died.
    private static final String FAIL_STALE = """
            UPDATE ingest_run SET status = 'failed', finished = now(),
                   reason = 'died: the process running it stopped before the run ended (killed, crashed or lost its'
                            || ' database); its counts are those of its last progress report'
             WHERE status = 'running'
            """;

    private static final String FIND = "SELECT " + COLUMNS + " FROM ingest_run WHERE id = $1";
    private static final String RECENT = "SELECT " + COLUMNS + " FROM ingest_run ORDER BY id DESC LIMIT $1";
    private static final String RUNNING = "SELECT id FROM ingest_run WHERE status = 'running' ORDER BY id DESC LIMIT 1";

    private final Pool pool;

    public RunRepository(Pool pool) {
        this.pool = pool;
    }

    /** @param spaceId the space a build run embeds into; null for a crawl of {@code source} */
    public Uni<Long> start(String source, String trigger, boolean dryRun, Integer spaceId) {
        return pool.preparedQuery(START).execute(Tuple.of(source, trigger, dryRun, spaceId))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    public Uni<Void> progress(long id, RunCounts c, BigDecimal cost, List<IngestRun.RunError> errors) {
        JsonArray json = new JsonArray();
        errors.stream().limit(MAX_ERRORS).forEach(e -> json.add(new JsonObject().put("url", e.url()).put("reason", e.reason())));
        Tuple t = Tuple.tuple(List.of(id, c.pagesDiscovered(), c.pagesSeen(), c.pagesUnchanged(), c.pagesChanged(),
                c.pagesNew(), c.pagesGone(), c.pagesFailed(), c.chunksEmbedded(), c.chunksDeleted(),
                c.embeddingRequests(), c.tokens(), cost, json, c.embeddingRetries()));
        return pool.preparedQuery(PROGRESS).execute(t).replaceWithVoid();
    }

    /** Records the final status; {@code reason} (null when it succeeded) says why it failed or was cancelled. */
    public Uni<Void> finish(long id, RunStatus status, String reason) {
        return pool.preparedQuery(FINISH).execute(Tuple.of(id, status.wire(), reason)).replaceWithVoid();
    }

    public Uni<Integer> failStale() {
        return pool.query(FAIL_STALE).execute().map(rows -> rows.rowCount());
    }

    public Uni<Optional<IngestRun>> find(long id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRun(rows.iterator().next())));
    }

    public Uni<List<IngestRun>> recent(int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> {
            List<IngestRun> runs = new ArrayList<>();
            rows.forEach(r -> runs.add(toRun(r)));
            return runs;
        });
    }

    public Uni<Optional<Long>> running() {
        return pool.query(RUNNING).execute()
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
    }

    private static IngestRun toRun(Row r) {
        RunCounts counts = new RunCounts(r.getInteger("pages_discovered"), r.getInteger("pages_seen"),
                r.getInteger("pages_unchanged"), r.getInteger("pages_changed"), r.getInteger("pages_new"),
                r.getInteger("pages_gone"), r.getInteger("pages_failed"), r.getInteger("chunks_embedded"),
                r.getInteger("chunks_deleted"), r.getInteger("embedding_requests"), r.getInteger("embedding_retries"), r.getLong("tokens"));
        List<IngestRun.RunError> errors = new ArrayList<>();
        Object raw = r.getValue("errors");
        if (raw instanceof JsonArray array) {
            array.forEach(o -> {
                JsonObject e = (JsonObject) o;
                errors.add(new IngestRun.RunError(e.getString("url"), e.getString("reason")));
            });
        }
        return new IngestRun(r.getLong("id"), r.getString("source"), r.getString("trigger"), r.getBoolean("dry_run"),
                RunStatus.of(r.getString("status")), r.getString("reason"), r.getOffsetDateTime("started"), r.getOffsetDateTime("finished"), counts,
                r.getBigDecimal("estimated_cost_usd"), errors, r.getInteger("space_id"));
    }
}
