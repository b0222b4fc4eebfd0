package org.coursebot.ingest.pipeline;

import org.coursebot.ingest.store.RunCounts;
import org.coursebot.ingest.store.RunStatus;

/**
 * How a crawl run ended: its final status and, unless it succeeded, why (the run's reason, apart from its pages'
 * errors). The rules, first match wins: the run was refused for its estimated cost ({@link RunCostCeiling}), it
 * stopped at an unreachable embeddings API, it was cancelled, it crawled nothing, or every page it had to write failed;
 * else it succeeded, whatever some pages did.
 */
record RunOutcome(RunStatus status, String reason) {

    /** The outcome of a run that went to its end, from its {@code counts} at that end. */
    static RunOutcome of(RunState run, RunCounts counts) {
        if (run.refusal != null) {
            return new RunOutcome(RunStatus.FAILED, run.refusal);
        }
        if (run.stoppedBy() != null) {
            return new RunOutcome(RunStatus.FAILED, run.stoppedBy().getMessage() + "; the run stopped there, "
                    + (counts.pagesNew() + counts.pagesChanged()) + " pages written before it, the others left as they were");
        }
        if (run.progress.cancelled()) {
            return new RunOutcome(RunStatus.CANCELLED, run.progress.cancelReason() + " after " + counts.pagesSeen() + " pages");
        }
        if (counts.pagesSeen() == 0 && run.crawl.incompleteReason() != null) {
            // The site was unreachable (or every page failed before a link was read): nothing was looked at.
            return new RunOutcome(RunStatus.FAILED, "nothing crawled: " + run.crawl.incompleteReason());
        }
        if (counts.pagesFailed() > 0 && counts.pagesNew() + counts.pagesChanged() + counts.pagesGone() == 0) {
            // Nothing the run had to do got done (a bad key fails every embedding, say): the run failed.
            return new RunOutcome(RunStatus.FAILED, "every page that needed writing failed (" + counts.pagesFailed()
                    + "; first error: " + run.progress.errors().get(0).reason() + ")");
        }
        return new RunOutcome(RunStatus.SUCCEEDED, null);
    }

    /**
     * The run itself failed, not a page: the database was gone for longer than retries wait, or a bug.
     */
    static RunOutcome failed(Throwable e) {
        return new RunOutcome(RunStatus.FAILED, "run failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
