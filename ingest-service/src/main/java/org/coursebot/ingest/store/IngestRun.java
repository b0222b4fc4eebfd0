package org.coursebot.ingest.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** An {@code ingest_run} row, as the admin API shows it. */
public record IngestRun(long id, String source, String trigger, boolean dryRun, String status,
                        OffsetDateTime started, OffsetDateTime finished, RunCounts counts,
                        BigDecimal estimatedCostUsd, List<RunError> errors) {

    /** What went wrong with one page. */
    public record RunError(String url, String reason) {
    }
}
