package org.coursebot.ingest.store;

/**
 * The counters of an ingest run; a snapshot of {@code RunProgress}. {@code embeddingRequests} counts every
 * attempt, {@code embeddingRetries} those that repeated a failed one (429, 5xx, timeouts, resets).
 */
public record RunCounts(int pagesDiscovered, int pagesSeen, int pagesUnchanged, int pagesChanged, int pagesNew,
                        int pagesGone, int pagesFailed, int chunksEmbedded, int chunksDeleted,
                        int embeddingRequests, int embeddingRetries, long tokens) {
}
