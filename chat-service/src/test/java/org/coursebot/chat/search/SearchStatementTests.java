package org.coursebot.chat.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coursebot.chat.search.CraftedChunks.question;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.coursebot.chat.search.SearchRepository.Found;
import org.coursebot.chat.search.SearchRepository.QuestionTerm;
import org.coursebot.chat.search.SearchRepository.SearchQuery;
import org.coursebot.model.SearchHit;
import org.coursebot.model.StoredSpace;
import org.coursebot.model.Vectors;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link SearchRepository#statement} on real PostgreSQL, through chat-service's own pool (the read-only role, the
 * connection settings of application.properties). Chunks sit at exact similarities to the question vector
 * ({@link CraftedChunks}), so fusion, the threshold and the merging of sections are pinned to the row.
 */
@QuarkusTest
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "role", value = "chat"),
        @ResourceArg(name = "jdbc", value = "false")})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchStatementTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final double THRESHOLD = 0.5;
    private static final double MARGIN = 0.1;
    /** Enough rows that the planner prefers the indexes, even in a generic plan (it does not at 3,000). */
    private static final int BULK_ROWS = 5000;
    /**
     * The tests on the bulk chunks run after the crafted ones (which empty the table), one after another: the
     * bulk is seeded once (~11 s into the HNSW index), not again after each crafted test that came between.
     */
    private static final int ON_THE_BULK = Order.DEFAULT + 1;

    TestDatabase database;

    @Inject
    SearchRepository repository;

    @Inject
    Pool pool;

    @Test
    void aChunkBelowTheThresholdIsNotAHit() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Above", 0, "Just over the line.", 0.52);
        course.add("p2/", "Below", 0, "Just under the line.", 0.48);
        course.publish();

        Found found = search(question(), "unrelated words", 5);

        assertThat(found.hits()).extracting(SearchHit::title).containsExactly("Above");
        assertThat(similarities(found.hits())).containsExactly(0.52);
    }

    @Test
    void aChunkInBothRankingsBeatsAVectorOnlyChunkRankedAboveIt() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Vector only", 0, "Ports and the processes listening on them.", 0.9);
        course.add("p2/", "Both", 0, "The error EADDRINUSE means another process has the port.", 0.6);
        course.publish();

        Found found = search(question(), "EADDRINUSE", 5);

        assertThat(found.hits()).extracting(SearchHit::title).containsExactly("Both", "Vector only");
        assertThat(similarities(found.hits())).containsExactly(0.6, 0.9);
    }

    @Test
    void aFullTextMatchWithinTheMarginBelowTheThresholdCountsOneFurtherBelowDoesNot() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Within the margin", 0, "EADDRINUSE: another process listens on the port.", 0.42);
        course.add("p2/", "Beyond the margin", 0, "EADDRINUSE again, far from the question.", 0.38);
        course.add("p3/", "Vector only", 0, "Close to the question, without its word.", 0.45);
        course.publish();

        Found found = search(question(), "EADDRINUSE", 5);

        assertThat(found.hits()).extracting(SearchHit::title).containsExactly("Within the margin");
        assertThat(similarities(found.hits())).containsExactly(0.42);
    }

    @Test
    void withoutAQuestionVectorFullTextMatchesCountWhateverTheirSimilarity() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Far", 0, "widget widget", 0.05);
        course.add("p2/", "Near", 0, "One widget here.", 0.95);
        course.add("p3/", "Nearest, no match", 0, "Nothing to see.", 0.99);
        course.publish();

        // fullText false as with hybrid search off: without a vector the statement searches by full text all the same.
        Found found = run(new SearchQuery(null, searched("widget"), 5, THRESHOLD, null, ranking(20, false, 3)));

        assertThat(found.hits()).extracting(SearchHit::title).containsExactly("Far", "Near");
        assertThat(similarities(found.hits())).containsExactly(null, null);
        assertThat(found.closest()).isEmpty();
        assertThat(found.textAgrees()).isFalse();
    }

    @Test
    void aSectionSplitIntoChunksIsOneHitJoinedInPageOrderWithItsBestChunksSimilarity() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Long section", 0, "part one", 0.7);
        UUID best = course.add("p1/", "Long section", 1, "part two", 0.9);
        course.add("p1/", "Long section", 2, "part three", 0.8);
        course.add("p2/", "Other", 0, "another section", 0.6);
        course.publish();

        Found found = search(question(), "unrelated words", 5);

        assertThat(found.hits()).extracting(SearchHit::title).containsExactly("Long section", "Other");
        SearchHit merged = found.hits().get(0);
        assertThat(merged.content()).isEqualTo("part one\n\npart two\n\npart three");
        assertThat(similarities(found.hits())).containsExactly(0.9, 0.6);
        assertThat(merged.id()).isEqualTo(best);
        assertThat(merged.url()).isEqualTo(CraftedChunks.BASE + "p1/");
    }

    @Test
    void kLimitsTheNumberOfSections() {
        CraftedChunks course = CraftedChunks.empty(database);
        for (int i = 0; i < 10; i++) {
            course.add("p" + i + "/", "s" + i, 0, "section " + i, 0.9 - i * 0.01);
        }
        course.publish();

        assertThat(search(question(), "unrelated words", 3).hits()).extracting(SearchHit::title)
                .containsExactly("s0", "s1", "s2");
    }

    @Test
    void closestReturnsTheNearestSectionsWhateverTheThreshold() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Nearest", 0, "first half", 0.7);
        course.add("p1/", "Nearest", 1, "second half", 0.8);
        course.add("p2/", "Second", 0, "second", 0.6);
        course.add("p3/", "Third", 0, "third", 0.5);
        course.add("p4/", "Fourth", 0, "fourth", 0.4);
        course.publish();

        Found found = run(new SearchQuery(question(), searched("unrelated words"), 5, 0.95, null, ranking(20, true, 3)));

        assertThat(found.hits()).isEmpty();
        assertThat(found.closest()).extracting(SearchHit::title).containsExactly("Nearest", "Second", "Third");
        assertThat(similarities(found.closest())).containsExactly(0.8, 0.6, 0.5);
        assertThat(found.closest().get(0).content()).isEqualTo("first half\n\nsecond half");
    }

    @Test
    void textAgreesWhenTheNearestSectionIsAmongTheFirstThreeFullTextSections() {
        CraftedChunks course = CraftedChunks.empty(database);
        // Full-text ranks 1 and 2 are one section, so the nearest chunk, 4th, is the 3rd section.
        course.add("p1/", "Alpha", 0, "widget widget widget widget", 0.1);
        course.add("p1/", "Alpha", 1, "widget widget widget", 0.1);
        course.add("p2/", "Beta", 0, "A widget, a widget.", 0.1);
        course.add("p3/", "Nearest", 0, "One widget here.", 0.9);
        course.publish();

        assertThat(search(question(), "widget", 5).textAgrees()).isTrue();
    }

    @Test
    void textDisagreesWhenTheNearestSectionIsFourthInFullText() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Alpha", 0, "widget widget widget widget", 0.1);
        course.add("p2/", "Beta", 0, "widget widget widget", 0.1);
        course.add("p3/", "Gamma", 0, "A widget, a widget.", 0.1);
        course.add("p4/", "Nearest", 0, "One widget here.", 0.9);
        course.publish();

        Found found = search(question(), "widget", 5);

        assertThat(found.closest()).extracting(SearchHit::title).startsWith("Nearest");
        assertThat(found.textAgrees()).isFalse();
    }

    @Test
    void termsAreTheQuestionsLexemesAndTheNamesWithTheNumberOfChunksContainingEach() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Guide", 0, "Deploy the app, restore it with pg_restore.", 0.3);
        course.add("p2/", "Guide", 0, "Deploying pods.", 0.3);
        course.publish();

        Found found = run(new SearchQuery(question(), searched("How do I deploy Kubernetes pods with pg_dump?", "Kubernetes",
                "pg_dump"), 5, THRESHOLD, null, ranking(20, true, 3)));

        assertThat(found.terms()).containsExactly(
                new QuestionTerm(null, "deploy", 2), new QuestionTerm(null, "dump", 0),
                new QuestionTerm(null, "kubernet", 0), new QuestionTerm(null, "pg", 1),
                new QuestionTerm(null, "pod", 1),
                new QuestionTerm("Kubernetes", "kubernet", 0),
                new QuestionTerm("pg_dump", "dump", 0), new QuestionTerm("pg_dump", "pg", 1));
    }

    @Test
    void aSearchInOneCourseCountsTheTermsInThatCourseOnly() {
        CraftedChunks course = CraftedChunks.empty(database);
        course.add("p1/", "Guide", 0, "Deploy the app.", 0.3);
        UUID other = course.add("p2/", "Pods", 0, "Deploying pods with Kubernetes.", 0.3);
        database.execute("UPDATE course_chunk SET source = 'other' WHERE id = '" + other + "'");
        course.publish();
        SearchedQuestion question = searched("deploy Kubernetes", "Kubernetes");

        Found inCourse = run(new SearchQuery(question(), question, 5, THRESHOLD, "course", ranking(20, true, 3)));
        Found everywhere = run(new SearchQuery(question(), question, 5, THRESHOLD, null, ranking(20, true, 3)));

        assertThat(inCourse.terms()).containsExactly(new QuestionTerm(null, "deploy", 1),
                new QuestionTerm(null, "kubernet", 0), new QuestionTerm("Kubernetes", "kubernet", 0));
        assertThat(everywhere.terms()).containsExactly(new QuestionTerm(null, "deploy", 2),
                new QuestionTerm(null, "kubernet", 1), new QuestionTerm("Kubernetes", "kubernet", 1));
    }

    @Test
    @Order(ON_THE_BULK)
    void theStatementUsesTheHnswAndGinIndexesInGenericAndCustomPlans() throws SQLException {
        CraftedChunks.bulk(database, BULK_ROWS);

        assertIndexesServe(CraftedChunks.SPACE, null);
    }

    @Test
    @Order(ON_THE_BULK)
    void aScopedStatementStillUsesTheHnswIndex() throws SQLException {
        // One course of a deployment, a tenth of the chunks: the filter does not make the planner give up the index;
        // hnsw.iterative_scan (SearchPoolCreator) finds enough of the course's chunks (ScopedSearchTests: the recall).
        withSmallCourse(() -> assertIndexesServe(CraftedChunks.SPACE, "small"));
    }

    /** The bulk chunks with a tenth of them a course of their own, 'small', during {@code test}. */
    private void withSmallCourse(SqlCheck test) throws SQLException {
        CraftedChunks.bulk(database, BULK_ROWS);
        database.execute("UPDATE course_chunk SET source = 'small' WHERE abs(hashtext(id::text)) % 10 = 0");
        database.execute("ANALYZE course_chunk");
        try {
            test.run();
        } finally {
            database.execute("UPDATE course_chunk SET source = 'bulk' WHERE source = 'small'");
        }
    }

    private interface SqlCheck {
        void run() throws SQLException;
    }

    @Test
    @Order(ON_THE_BULK)
    void aStatementInOneCourseReadsThatCoursesChunksNotTheGraphAndFindsTheExactNearest() throws SQLException {
        withSmallCourse(() -> {
            SearchQuery query = new SearchQuery(question(), searched("topic17 lessons"), 5, -1, "small", true,
                    ranking(20, false, 20));
            String vectors = CraftedChunks.SPACE.vectorTable();
            try (Connection c = database.connect(); Statement s = c.createStatement()) {
                s.execute("SET random_page_cost = " + SearchPoolCreator.RANDOM_PAGE_COST);
                s.execute("PREPARE in_course AS " + SearchRepository.statement(CraftedChunks.SPACE, true));
                for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
                    s.execute("SET plan_cache_mode = " + mode);
                    String plan = plan(s, "EXPLAIN EXECUTE in_course" + arguments(query.parameters()));
                    assertThat(plan).as(mode + "\n" + plan).contains("course_chunk_page_idx")
                            .doesNotContain(vectors + "_embedding_idx").doesNotContain("Seq Scan on course_chunk ");
                }
            }

            Found found = run(query);

            List<String> exact = new ArrayList<>();
            try (Connection c = database.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT c.title FROM course_chunk c JOIN " + vectors + " v ON v.id = c.id"
                         + " WHERE c.source = 'small' ORDER BY v.embedding <=> '" + Vectors.toText(question())
                         + "'::vector, c.id LIMIT 20")) {
                while (r.next()) {
                    exact.add(r.getString(1));
                }
            }
            assertThat(found.closest()).extracting(SearchHit::title).containsExactlyElementsOf(exact);
        });
    }

    @Test
    @Order(ON_THE_BULK + 1) // last: it leaves a second space behind
    void anotherSpacesStatementUsesThatSpacesHnswIndex() throws SQLException {
        CraftedChunks.bulk(database, BULK_ROWS);
        StoredSpace second = CraftedChunks.secondSpace(database);
        database.execute("SELECT coursebot_activate_space(" + second.id() + ")");
        try {
            assertThat(second.id()).isGreaterThanOrEqualTo(2);
            assertIndexesServe(second, null);
        } finally {
            database.execute("SELECT coursebot_activate_space(" + CraftedChunks.SPACE.id() + ")");
        }
    }

    /**
     * The space's HNSW index and course_chunk's GIN index serve its statement, generic plan and custom, over every
     * course ({@code source} null) or one.
     */
    private void assertIndexesServe(StoredSpace space, String source) throws SQLException {
        SearchQuery query = new SearchQuery(question(), searched("topic17 lessons", "Topic17"), 5, 0.35, source,
                ranking(20, true, 3));
        String execute = "EXPLAIN EXECUTE search_plan" + arguments(query.parameters());
        String vectors = space.vectorTable();

        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            // As the pool's connections start (SearchPoolCreator). At PostgreSQL's default of 4, a scan of all of
            // course_chunk (narrow since schema 4 moved the vectors out) costs less than its GIN index at 5,000 rows.
            s.execute("SET random_page_cost = " + SearchPoolCreator.RANDOM_PAGE_COST);
            s.execute("PREPARE search_plan AS " + SearchRepository.statement(space, false));
            s.execute("SET plan_cache_mode = force_generic_plan");
            String generic = plan(s, execute);
            s.execute("SET plan_cache_mode = force_custom_plan");
            String custom = plan(s, execute);

            assertThat(generic).as(generic)
                    .contains("Index Scan using " + vectors + "_embedding_idx on " + vectors)
                    .contains("Bitmap Index Scan on course_chunk_tsv_idx");
            assertThat(custom).as(custom)
                    .contains("Index Scan using " + vectors + "_embedding_idx on " + vectors)
                    .contains("Bitmap Index Scan on course_chunk_tsv_idx")
                    .doesNotContain("Seq Scan on course_chunk ")
                    .doesNotContain("Seq Scan on " + vectors + " ");
        }
    }

    @Test
    void thePoolsConnectionsStartWithTheSearchsHnswSettings() {
        List<SqlConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // held at once: three connections, not one three times
                held.add(pool.getConnection().await().atMost(TIMEOUT));
            }
            for (SqlConnection c : held) {
                // A vector first: pgvector's library is loaded, so these are its settings, not unchecked placeholders.
                c.query("SELECT '[1,0]'::vector <=> '[0,1]'::vector").execute().await().atMost(TIMEOUT);
                Row row = c.query("SELECT current_setting('hnsw.ef_search') AS ef_search,"
                        + " current_setting('hnsw.iterative_scan') AS iterative_scan,"
                        + " current_setting('random_page_cost') AS random_page_cost").execute()
                        .await().atMost(TIMEOUT).iterator().next();
                assertThat(row.getString("ef_search")).isEqualTo("80");
                assertThat(row.getString("iterative_scan")).isEqualTo("strict_order");
                assertThat(row.getString("random_page_cost")).isEqualTo("1.1");
            }
        } finally {
            held.forEach(SqlConnection::closeAndAwait);
        }
    }

    @Test
    @Order(ON_THE_BULK)
    void moreCandidatesThanEfSearchStillGiveKSections() {
        CraftedChunks.bulk(database, BULK_ROWS);
        // 200 candidates and k = 100, both above hnsw.ef_search (80): a plain HNSW scan stops at 80 rows.
        SearchQuery query = new SearchQuery(question(), searched("unrelated words"), 100, -1, null, ranking(200, false, 200));

        Found found = run(query);

        assertThat(found.hits().size()).isEqualTo(100);
        assertThat(found.closest().size()).isEqualTo(200);
        assertThat(found.closest()).extracting(SearchHit::similarity)
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        // The same statement without the iterative scan: proof that the HNSW index served it, and that the setting
        // is what brings the candidates past ef_search.
        int withoutIterativeScan = pool.withTransaction(tx -> tx.query("SET LOCAL hnsw.iterative_scan = off").execute()
                        .chain(() -> tx.preparedQuery(SearchRepository.statement(CraftedChunks.SPACE, false))
                                .execute(query.parameters())))
                .map(rows -> (int) StreamSupport.stream(rows.spliterator(), false)
                        .filter(r -> r.getString("kind").equals("hit")).count())
                .await().atMost(TIMEOUT);
        assertThat(withoutIterativeScan).isLessThanOrEqualTo(80);
    }

    private Found search(float[] vector, String question, int k) {
        return run(new SearchQuery(vector, searched(question), k, THRESHOLD, null, ranking(20, true, 3)));
    }

    /** The service's ranking (english, margin 0.1, RRF k 60) with these candidates, full text and closest sections. */
    private static SearchRepository.Ranking ranking(int candidates, boolean fullText, int closest) {
        return new SearchRepository.Ranking("english", candidates, MARGIN, 60, fullText, closest);
    }

    private Found run(SearchQuery query) {
        return repository.search(CraftedChunks.SPACE, query).await().atMost(TIMEOUT);
    }

    /** Rounded to 6 places: the vectors are float4, so a chunk crafted at 0.6 comes back as 0.6000000238… */
    private static List<Double> similarities(List<SearchHit> hits) {
        return hits.stream().map(h -> h.similarity() == null ? null : Math.round(h.similarity() * 1e6) / 1e6).toList();
    }

    private static String plan(Statement s, String explain) throws SQLException {
        StringJoiner lines = new StringJoiner("\n");
        try (ResultSet r = s.executeQuery(explain)) {
            while (r.next()) {
                lines.add(r.getString(1));
            }
        }
        return lines.toString();
    }

    /** The statement's parameters as SQL literals, for EXECUTE: the values the application binds. */
    private static String arguments(Tuple parameters) {
        StringJoiner list = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < parameters.size(); i++) {
            list.add(literal(parameters.getValue(i)));
        }
        return list.toString();
    }

    private static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        if (value instanceof String[] array) {
            return Arrays.stream(array).map(SearchStatementTests::literal)
                    .collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
        }
        if (value instanceof Float[] vector) {
            return Arrays.stream(vector).map(String::valueOf).collect(Collectors.joining(",", "ARRAY[", "]::real[]"));
        }
        return value.toString();
    }

    /** A question searched as written: its asking part the whole text, these names. */
    private static SearchedQuestion searched(String text, String... names) {
        return new SearchedQuestion(text, text, List.of(names), false);
    }
}
