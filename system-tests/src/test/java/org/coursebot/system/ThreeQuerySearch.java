package org.coursebot.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coursebot.embedding.LocalEmbeddingModel;
import org.coursebot.model.SearchHit;
import org.coursebot.model.Vectors;

/**
 * chat-service's search as it was before issue 16 (git d776b39), kept as the reference the one-statement search is
 * compared against: the question embedded by the local model, then three statements (nearest neighbours in a
 * transaction with {@code SET LOCAL hnsw.ef_search}, full-text matches, the question's terms counted through GIN)
 * and their fusion in Java (RankFusion). The SQL and the fusion are copies of that commit's SearchRepository,
 * SearchService and RankFusion; change them only to follow what that commit did, never to match the new path.
 */
final class ThreeQuerySearch implements AutoCloseable {

    /** SearchService's constants and SearchConfig's defaults at d776b39, and the local model's threshold. */
    static final double THRESHOLD = 0.35; // coursebot.search.thresholds.all-minilm-l6-v2-q
    private static final int CANDIDATE_FACTOR = 4;
    private static final int EF_SEARCH = 80;
    private static final int RRF_K = 60;
    private static final double FULL_TEXT_MARGIN = 0.1;
    private static final String TEXT_SEARCH_CONFIG = "english";
    private static final int TERM_COUNT_CAP = 50;

    private static final String COLUMNS = """
            id, title, url, content, content_type, part_id, module_id, page_url, heading_path, position
            """;

    private static final String NEAREST = "SELECT " + COLUMNS + """
            , 1 - (embedding <=> $1::vector) AS similarity
              FROM course_content
             ORDER BY embedding <=> $1::vector
             LIMIT $2
            """;

    private static final String FULL_TEXT = "SELECT " + COLUMNS + """
            , CASE WHEN $4::text IS NULL THEN NULL ELSE 1 - (embedding <=> $4::vector) END AS similarity
              FROM course_content, websearch_to_tsquery($1::regconfig, $2) AS query
             WHERE tsv @@ query
             ORDER BY ts_rank_cd(tsv, query) DESC
             LIMIT $3
            """;

    private static final String TERMS = """
            SELECT t.name, t.lexeme,
                   (SELECT count(*) FROM (SELECT 1 FROM course_content c
                                           WHERE c.tsv @@ ('''' || replace(replace(t.lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery
                                           LIMIT $3) AS capped) AS chunks
              FROM (SELECT NULL::text AS name, lexeme
                      FROM unnest(tsvector_to_array(to_tsvector($1::regconfig, $2))) AS lexeme
                    UNION ALL
                    SELECT name, lexeme
                      FROM unnest($4::text[]) AS name,
                           unnest(tsvector_to_array(to_tsvector($1::regconfig, name))) AS lexeme) AS t
            """;

    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

    private final Connection connection;
    private final LocalEmbeddingModel model = new LocalEmbeddingModel(1, 4);

    /** @param connection to the system's database (as chat-service's role), used by this search alone */
    ThreeQuerySearch(Connection connection) {
        this.connection = connection;
    }

    /** What the old path returned for a question: the hits and the coverage decision with its signals. */
    record Result(List<SearchHit> hits, ThreeQueryCoverage.Signals signals, boolean covered, String reason) {
    }

    /**
     * The old SearchService.search with the default threshold, on the path where the question could be embedded, given
     * what the new path searched ({@code searched} of GET /api/search): the text searched, its asking part, whose
     * terms count, and its names. How those are drawn from a question (issue 27) is chat-service's own
     * (SearchedQuestionTests); what is compared here is what the statement and the rule make of them.
     */
    Result search(String question, String asked, List<String> names, int k) throws SQLException {
        int candidates = k * CANDIDATE_FACTOR;
        List<QuestionTerm> terms = terms(asked, names);
        float[] vector = embed(question);
        List<Candidate> nearest = nearest(vector, candidates);
        List<Candidate> text = fullText(question, candidates, vector);
        List<SearchHit> hits = fuse(nearest, text, THRESHOLD, k);
        ThreeQueryCoverage.Signals signals = ThreeQueryCoverage.signals(question, nearest, text, terms);
        ThreeQueryCoverage.Decision decision = ThreeQueryCoverage.decide(signals, !hits.isEmpty(), THRESHOLD);
        return new Result(hits, signals, decision.covered(), decision.reason());
    }

    /** As QuestionEmbedder embeds a question with the local provider: whitespace collapsed, one text per call. */
    private float[] embed(String question) {
        String key = question.strip().replaceAll("\\s+", " ");
        return model.embed(List.of(key)).await().atMost(Duration.ofMinutes(1)).get(0);
    }

    private List<Candidate> nearest(float[] query, int limit) throws SQLException {
        String vector = Vectors.toText(query);
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL hnsw.ef_search = " + Math.max(EF_SEARCH, limit));
            List<Candidate> found = candidates(NEAREST, vector, limit);
            connection.commit();
            return found;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private List<Candidate> fullText(String question, int limit, float[] query) throws SQLException {
        return candidates(FULL_TEXT, TEXT_SEARCH_CONFIG, question, limit, query == null ? null : Vectors.toText(query));
    }

    private List<QuestionTerm> terms(String question, List<String> names) throws SQLException {
        try (PreparedStatement s = prepare(TERMS, TEXT_SEARCH_CONFIG, question, TERM_COUNT_CAP,
                connection.createArrayOf("text", names.toArray()));
                ResultSet r = s.executeQuery()) {
            List<QuestionTerm> terms = new ArrayList<>();
            while (r.next()) {
                terms.add(new QuestionTerm(r.getString("name"), r.getString("lexeme"), r.getInt("chunks")));
            }
            return terms;
        }
    }

    private List<Candidate> candidates(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(sql, parameters); ResultSet r = s.executeQuery()) {
            List<Candidate> list = new ArrayList<>();
            while (r.next()) {
                double similarity = r.getDouble("similarity");
                list.add(new Candidate(r.getObject("id", UUID.class), r.getString("title"), r.getString("url"),
                        r.getString("content"), r.getString("content_type"), r.getString("part_id"),
                        r.getString("module_id"), r.getString("page_url"), r.getString("heading_path"),
                        r.getInt("position"), r.wasNull() ? null : similarity));
            }
            return list;
        }
    }

    /**
     * The statement with its numbered parameters ($1 … as the reactive client takes them) turned into JDBC's
     * positional ones, each occurrence bound to its value; strings go untyped, as the reactive client sends them, so
     * the casts in the SQL decide their type.
     */
    private PreparedStatement prepare(String sql, Object... byNumber) throws SQLException {
        List<Object> bound = new ArrayList<>();
        Matcher m = PARAMETER.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (m.find()) {
            bound.add(byNumber[Integer.parseInt(m.group(1)) - 1]);
            m.appendReplacement(positional, "?");
        }
        m.appendTail(positional);
        PreparedStatement s = connection.prepareStatement(positional.toString());
        for (int i = 0; i < bound.size(); i++) {
            Object value = bound.get(i);
            if (value == null || value instanceof String) {
                s.setObject(i + 1, value, Types.OTHER);
            } else {
                s.setObject(i + 1, value);
            }
        }
        return s;
    }

    // RankFusion at d776b39 (rrfK 60, fullTextMargin 0.1).

    static List<SearchHit> fuse(List<Candidate> nearest, List<Candidate> fullText, double threshold, int k) {
        Map<UUID, Double> scores = new LinkedHashMap<>();
        Map<UUID, Candidate> byId = new LinkedHashMap<>();
        addRanking(nearest, c -> c.similarity() != null && c.similarity() >= threshold, scores, byId);
        addRanking(fullText, c -> c.similarity() == null || c.similarity() >= threshold - FULL_TEXT_MARGIN, scores, byId);
        List<Candidate> ranked = new ArrayList<>(byId.values());
        ranked.sort(Comparator.comparingDouble((Candidate c) -> scores.get(c.id())).reversed());
        return mergeSections(ranked, k);
    }

    private static void addRanking(List<Candidate> ranking, Predicate<Candidate> eligible,
                                   Map<UUID, Double> scores, Map<UUID, Candidate> byId) {
        for (int rank = 0; rank < ranking.size(); rank++) {
            Candidate c = ranking.get(rank);
            if (eligible.test(c)) {
                scores.merge(c.id(), 1.0 / (RRF_K + rank + 1), Double::sum);
                byId.putIfAbsent(c.id(), c);
            }
        }
    }

    /** Keeps the sections in the order of their best chunk; a section's chunks are joined in page order. */
    static List<SearchHit> mergeSections(List<Candidate> ranked, int k) {
        Map<String, List<Candidate>> sections = new LinkedHashMap<>();
        for (Candidate c : ranked) {
            sections.computeIfAbsent(c.sectionKey(), key -> new ArrayList<>()).add(c);
        }
        List<SearchHit> hits = new ArrayList<>();
        for (List<Candidate> parts : sections.values()) {
            if (hits.size() == k) {
                break;
            }
            Candidate best = parts.get(0);
            Double similarity = parts.stream().map(Candidate::similarity).filter(s -> s != null)
                    .max(Double::compare).orElse(null);
            String content = parts.size() == 1 ? best.content()
                    : String.join("\n\n", parts.stream().sorted(Comparator.comparingInt(Candidate::position))
                            .map(Candidate::content).toList());
            hits.add(new SearchHit(best.id(), best.title(), best.url(), content, best.contentType(),
                    best.partId(), best.moduleId(), similarity));
        }
        return hits;
    }

    @Override
    public void close() throws SQLException {
        model.close();
        connection.close();
    }

    /** A lexeme of the question (name null) or of a name in it, and the number of chunks containing it (capped). */
    record QuestionTerm(String name, String lexeme, int chunks) {
    }

    /** A chunk found by one of the searches; {@code similarity} is null when no question vector was at hand. */
    record Candidate(UUID id, String title, String url, String content, String contentType, String partId,
                     String moduleId, String pageUrl, String headingPath, int position, Double similarity) {

        /** Chunks of one section share this. */
        String sectionKey() {
            return pageUrl + '\u0000' + headingPath;
        }
    }
}
