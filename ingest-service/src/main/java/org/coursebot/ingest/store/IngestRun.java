package org.coursebot.ingest.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An {@code ingest_run} row, as the admin API shows it. {@code reason} says why a run failed, was cancelled or
 * died (null while running and for a run that succeeded); {@code errors} are the pages that failed. A run that builds
 * an embedding space has its {@code spaceId} (null for a crawl), the source {@code *}, and counts chunks.
 */
public record IngestRun(long id, String source, String trigger, boolean dryRun, RunStatus status, String reason,
                        OffsetDateTime started, OffsetDateTime finished, RunCounts counts,
                        BigDecimal estimatedCostUsd, List<RunError> errors, Integer spaceId) {

    /** What went wrong with one page. */
    public record RunError(String url, String reason) {
    }
}
