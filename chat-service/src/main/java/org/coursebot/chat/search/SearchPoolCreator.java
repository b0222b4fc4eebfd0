package org.coursebot.chat.search;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * chat-service's connection pool, as Quarkus configures it, with settings search needs and Quarkus has no key for:
 * <ul>
 * <li>every connection starts with the search's HNSW settings ({@code hnsw.ef_search} from
 * {@link SearchConfig#efSearch()}, {@code hnsw.iterative_scan=strict_order}) in its startup options: no
 * {@code SET LOCAL}, and so no transaction, per question;</li>
 * <li>... and with {@code random_page_cost=1.1}, the usual value for SSD storage (PostgreSQL's default of 4 assumes
 * spinning disks). With 4, the planner prefers an exact scan of every vector to the HNSW index up to ~20,000
 * chunks of 1536 dimensions, because it prices a distance like an addition: measured with the search statement,
 * 13 ms instead of 4 at 2,000 chunks and 45 ms instead of 8 at 10,000. With 1.1 it takes the index from a few
 * thousand chunks on and keeps the exact scan on small courses (300 chunks), where it is as fast and exact
 * (docs/benchmarks.md, "Search in one statement");</li>
 * <li>the search statement ({@link SearchRepository#SEARCH_TEMPLATE}, ~4.9 KB, one per embedding space) stays
 * prepared on each connection: Vert.x caches only statements up to 2,048 characters by default, and a statement it
 * does not cache is parsed and described again on every question (measured: a parse and a second round trip per search, docs/benchmarks.md).</li>
 * </ul>
 * A pooler in transaction mode (PgBouncer, Supavisor) drops startup options: {@link SearchRepository} warns at
 * start-up when the settings are not there.
 */
@Singleton
public class SearchPoolCreator implements PgPoolCreator {

    /** See the class comment. */
    static final String RANDOM_PAGE_COST = "1.1";

    private final SearchConfig config;

    public SearchPoolCreator(SearchConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        String settings = "-c hnsw.ef_search=" + config.efSearch() + " -c hnsw.iterative_scan=strict_order"
                + " -c random_page_cost=" + RANDOM_PAGE_COST;
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            String given = options.getProperties().get("options");
            options.addProperty("options", given == null || given.isBlank() ? settings : given + " " + settings);
            options.setPreparedStatementCacheSqlLimit(Math.max(PgConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT,
                    2 * SearchRepository.SEARCH_TEMPLATE.length()));
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
