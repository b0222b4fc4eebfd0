package org.coursebot.chat.search;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.search.SearchRepository.Ranking;
import org.coursebot.chat.search.SearchRepository.SearchQuery;
import org.coursebot.chat.space.ActiveSpace;
import org.coursebot.chat.space.EmbeddingUnavailableException;
import org.coursebot.chat.space.SpaceEmbedders;
import org.coursebot.model.StoredSpace;

/**
 * Question → what is searched ({@link SearchedQuestion}: its personal data left out) → vector → one statement (nearest sections + full-text, fused; the question's terms) → coverage, in one
 * embedding space: the active one, taken once per question, so its vector and the chunks' vectors always share a
 * space. A question whose vector is cached goes straight to the database; one that cannot be embedded is searched
 * by full text alone ({@code degraded}).
 */
@ApplicationScoped
public class SearchService {

    /** Nearest sections returned besides the hits (suggested when the course does not cover the question). */
    private static final int CLOSEST = 3;

    private final ActiveSpace active;
    private final SpaceEmbedders embedders;
    private final SearchRepository repository;
    private final SearchConfig config;
    private final CourseSources sources;
    private final CoverageDecision coverage;
    private final Timer embedding;
    private final Timer statement;

    public SearchService(ActiveSpace active, SpaceEmbedders embedders, SearchRepository repository,
                         SearchConfig config, CourseSources sources, MeterRegistry registry) {
        this.active = active;
        this.embedders = embedders;
        this.repository = repository;
        this.config = config;
        this.sources = sources;
        this.coverage = new CoverageDecision(config.coverage());
        // Where a search's time goes (search-bench --profile reads them): the rest of a request is the service's own.
        this.embedding = phase(registry, "embedding", "the question's vector (a cache hit costs ~0)");
        this.statement = phase(registry, "statement", "the search statement: its parameters, the round trip, its rows");
    }

    private static Timer phase(MeterRegistry registry, String phase, String description) {
        return Timer.builder("coursebot.search.phase").tag("phase", phase).description(description).register(registry);
    }

    /**
     * What to search for {@code question} after the student's {@code earlier} questions (oldest first): the question
     * in its conversation ({@link QuestionInContext}), or alone when {@code coursebot.search.follow-ups} is off.
     */
    public SearchedQuestion inContext(String question, List<String> earlier) {
        return SearchedQuestion.of(question,
                config.followUps() ? QuestionInContext.leanedOn(question, earlier) : List.of());
    }

    /**
     * Searches {@code searched}, the question in its conversation ({@link #inContext}, or as the chat model rewrote
     * it); a question searched alone that the course does not cover alone is searched once more with the
     * conversation's topic, which is kept when the course covers that ({@code coursebot.search.follow-up-retry-words}).
     * The result's {@code searched} says which search it is.
     *
     * @param question the student's question, as asked
     * @param earlier  the student's earlier questions, oldest first
     */
    public Uni<SearchResult> searchInConversation(String question, SearchedQuestion searched, List<String> earlier,
            int k, Double threshold, String source) {
        Uni<SearchResult> first = search(searched, k, threshold, source);
        if (searched.followUp() || earlier.isEmpty() || !config.followUps()
                || QuestionInContext.words(question) > config.followUpRetryWords()) {
            return first;
        }
        return first.chain(alone -> alone.covered() ? Uni.createFrom().item(alone)
                : search(SearchedQuestion.of(question, QuestionInContext.topic(earlier)), k, threshold, source)
                        .map(inContext -> inContext.covered() ? inContext : alone));
    }

    /** The threshold for the space's embedding model, calibrated per model (see SearchConfig). */
    public double defaultThreshold(StoredSpace space) {
        return config.thresholds().getOrDefault(space.space().model(), config.defaultThreshold());
    }

    /**
     * Searches the active space. A space retired between the last read of the active space and this question (its
     * table gone) is not an error: the active space is read again and the question searched there, once.
     *
     * @param threshold null for the default of the space's model
     * @param source the course to search (see {@link CourseSources}), or null for every course
     */
    public Uni<SearchResult> search(String question, int k, Double threshold, String source) {
        return search(SearchedQuestion.of(question), k, threshold, source);
    }

    /** ... a question already taken apart, in its conversation or not ({@link #inContext}). */
    public Uni<SearchResult> search(SearchedQuestion question, int k, Double threshold, String source) {
        return active.require().chain(space -> search(space, question, k, threshold, source)
                .onFailure(ActiveSpace::tableGone).recoverWithUni(e -> {
                    Log.infof("space %d was retired during a question; searching the active space again", space.id());
                    return active.refreshRequired().chain(now -> search(now, question, k, threshold, source));
                }));
    }

    /**
     * Searches one space: the question embedded into it, the statement over its vectors.
     *
     * @param threshold null for the default of the space's model
     * @param source the course to search, or null for every course
     */
    public Uni<SearchResult> search(StoredSpace space, String question, int k, Double threshold, String source) {
        return search(space, SearchedQuestion.of(question), k, threshold, source);
    }

    /**
     * Whether to compare the question with each chunk of the course searched (SearchConfig#courseScanMaxChunks): a
     * small course among others. A course holding most of the chunks is searched by the graph, which then passes few
     * chunks of other courses; one whose size is not known yet (ingested in the last minute) too, fit for any size.
     */
    private boolean inCourse(String source) {
        return source != null && scansCourse(sources.chunks(source), sources.totalChunks(), config.courseScanMaxChunks());
    }

    /** @param courseChunks the course's chunks, -1 when not known */
    static boolean scansCourse(long courseChunks, long allChunks, int maxChunks) {
        return courseChunks >= 0 && courseChunks <= maxChunks && 2 * courseChunks <= allChunks;
    }

    private Uni<SearchResult> search(StoredSpace space, SearchedQuestion searched, int k, Double threshold,
            String source) {
        double t = threshold == null ? defaultThreshold(space) : threshold;
        Timer.Sample embedded = Timer.start();
        return embedders.embed(space, searched.text())
                .onFailure(EmbeddingUnavailableException.class).recoverWithNull() // the embedder logged why
                .invoke(() -> embedded.stop(embedding))
                .chain(vector -> {
                    Timer.Sample statementTime = Timer.start();
                    SearchQuery query = new SearchQuery(vector, searched, k, t, source, inCourse(source), new Ranking(
                            config.textSearchConfig(), k * config.candidateFactor(), config.fullTextMargin(),
                            config.rrfK(), config.hybrid(), CLOSEST));
                    return repository.search(space, query).invoke(() -> statementTime.stop(statement)).map(found -> {
                        CoverageSignals signals = CoverageDecision.signals(found.closest(), found.textAgrees(), found.terms());
                        return new SearchResult(found.hits(), found.closest(), t,
                                coverage.decide(signals, !found.hits().isEmpty(), t, searched.followUp()),
                                vector == null, SearchedSpace.of(space), vector, searched);
                    });
                });
    }
}
