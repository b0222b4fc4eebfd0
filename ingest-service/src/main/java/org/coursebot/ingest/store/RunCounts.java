package org.coursebot.ingest.store;

/** The counters of an ingest run; a snapshot of {@code RunProgress}. */
public record RunCounts(int pagesDiscovered, int pagesSeen, int pagesUnchanged, int pagesChanged, int pagesNew,
                        int pagesGone, int pagesFailed, int chunksEmbedded, int chunksDeleted,
                        int embeddingRequests, long tokens) {
}
