package org.coursebot.system.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.embedding.LocalEmbeddingModel;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.system.Repository;
import org.coursebot.testing.CourseGenerator;
import org.coursebot.testing.CourseSiteServer;
import org.coursebot.testing.TestDatabase;

/**
 * deploy/bench/large-course.sh: ingest of a large generated course on the offline default (the local model),
 * default settings, the container's JVM flags; then the same chunk texts embedded by the local model alone in a
 * loop, in the ingest's batch size, so the two rates compare: the pipeline should keep the model busy.
 */
public final class LargeCourseBenchmark {

    /** The ingest's local batch size (coursebot.embedding.local.batch-size default). */
    private static final int BATCH = 64;

    private LargeCourseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2026;
        Path repo = Repository.root();
        Path site = Files.createTempDirectory("coursebot-large-course");
        try (CourseSiteServer server = CourseSiteServer.start(site); TestDatabase db = TestDatabase.create()) {
            CourseGenerator.generate(site, pages, seed, server.baseUrl());
            JsonNode run;
            double ingestSeconds;
            double peakMb;
            try (IngestProcess ingest = IngestProcess.start(repo, "large-course-local", db.url(), server.baseUrl(), null,
                    Map.of())) {
                long started = System.nanoTime();
                run = ingest.ingest(Duration.ofMinutes(30));
                ingestSeconds = (System.nanoTime() - started) / 1e9;
                peakMb = ingest.peakRssMb();
            }
            int seen = run.at("/counts/pagesSeen").asInt();
            int chunks = run.at("/counts/chunksEmbedded").asInt();
            System.out.printf("course: %d pages generated (seed %d), %d KB of HTML%n", pages, seed, folderKb(site));
            System.out.printf("ingest (local model, default settings, container JVM flags): %s, %d pages in %.1f s = %.1f pages/s,"
                    + " %d chunks = %.1f chunks/s, %d failed, ingest-service VmHWM %.1f MB%n", run.get("status").asText(), seen,
                    ingestSeconds, seen / ingestSeconds, chunks, chunks / ingestSeconds, run.at("/counts/pagesFailed").asInt(), peakMb);
            List<String> texts = embeddingTexts(db.url());
            double modelRate = modelRate(texts);
            System.out.printf("model alone on the same %d chunk texts (batches of %d, 1 thread): %.1f embeddings/s%n",
                    texts.size(), BATCH, modelRate);
            System.out.printf("whole ingest / model alone: %.2f (goal >= 0.80)%n", (chunks / ingestSeconds) / modelRate);
        } finally {
            Repository.deleteTree(site);
        }
    }

    /** The exact texts the ingest embedded: heading path, a blank line, content (CourseChunk.embeddingText). */
    private static List<String> embeddingTexts(String databaseUrl) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("db", databaseUrl);
        List<String> texts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT heading_path || E'\\n\\n' || content FROM course_content ORDER BY page_url, position")) {
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
        }
        return texts;
    }

    private static double modelRate(List<String> texts) {
        LocalEmbeddingModel model = new LocalEmbeddingModel(1, 4);
        try {
            model.embed(texts.subList(0, Math.min(BATCH, texts.size()))).await().atMost(Duration.ofMinutes(2)); // load, warm up
            long started = System.nanoTime();
            for (int from = 0; from < texts.size(); from += BATCH) {
                model.embed(texts.subList(from, Math.min(texts.size(), from + BATCH))).await().atMost(Duration.ofMinutes(5));
            }
            return texts.size() / ((System.nanoTime() - started) / 1e9);
        } finally {
            model.close();
        }
    }

    private static long folderKb(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1024;
        }
    }
}
