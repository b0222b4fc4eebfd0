package org.coursebot.system.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.system.Repository;
import org.coursebot.testing.CourseGenerator;
import org.coursebot.testing.CourseGenerator.MutationSummary;
import org.coursebot.testing.CourseSiteServer;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FaultPlans;
import org.coursebot.testing.TestDatabase;

/**
 * The soak benchmark behind deploy/bench/soak.sh: N consecutive ingests of one database over a large generated
 * course, with seeded random OpenAI faults (429 with Retry-After, 500/502/503, resets, malformed bodies) and
 * random page edits, deletions and additions between runs. After each run the database must equal a clean,
 * fault-free ingest of the site as it is then. Prints one table row per run; exits 1 if any row differs.
 */
public final class SoakBenchmark {

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "10"));
        int pages = Integer.parseInt(options.getOrDefault("pages", "300"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));
        double faultRate = Double.parseDouble(options.getOrDefault("fault-rate", "0.2"));
        Path repo = Repository.root();
        Path site = Files.createTempDirectory("coursebot-soak-site");
        int failures = 0;
        try (CourseSiteServer server = CourseSiteServer.start(site); FakeOpenAiServer openAi = FakeOpenAiServer.start();
                TestDatabase db = TestDatabase.create()) {
            CourseGenerator.generate(site, pages, seed, server.baseUrl());
            // Groups of 2 pages: the edits between runs still make several requests, so faults meet every run.
            Map<String, String> env = Map.of("COURSEBOT_INGEST_PAGE_GROUP_SIZE", "2");
            System.out.printf("soak: %d runs over a %d-page course, seed %d, fault rate %.2f per request%n%n", runs, pages,
                    seed, faultRate);
            System.out.println("| run | faults injected | retries | pages changed | run status | rows differing"
                    + " | wall s | ingest VmHWM MB |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            try (IngestProcess ingest = IngestProcess.start(repo, "soak", db.url(), server.baseUrl(), openAi.baseUrl(), env)) {
                for (int run = 1; run <= runs; run++) {
                    String changed = "all (first run)";
                    if (run > 1) {
                        MutationSummary m = CourseGenerator.mutateToRound(site, pages, seed, server.baseUrl(), seed * 7919,
                                run - 1, Math.max(1, pages / 20), Math.max(1, pages / 100), Math.max(1, pages / 100));
                        changed = m.describe();
                    }
                    openAi.reset();
                    openAi.faultPlan(FaultPlans.seededRandom(seed * 31 + run, faultRate));
                    long started = System.nanoTime();
                    JsonNode result = ingest.ingest(Duration.ofMinutes(20));
                    double wall = (System.nanoTime() - started) / 1e9;
                    int faults = openAi.faultsInjected().values().stream().mapToInt(Integer::intValue).sum();
                    String faultKinds = openAi.faultsInjected().toString();
                    openAi.faultPlan(n -> null);
                    CourseSnapshot actual = CourseSnapshot.read(db.url(), true);
                    int differing = differingFromCleanIngest(repo, server, openAi, actual);
                    String status = result.get("status").asText()
                            + (result.at("/counts/pagesFailed").asInt() > 0 ? " (" + result.at("/counts/pagesFailed").asInt()
                                    + " pages failed)" : "");
                    if (differing != 0) {
                        failures++;
                    }
                    System.out.printf("| %d | %d %s | %d | %s | %s | %d | %.1f | %.1f |%n", run, faults, faultKinds,
                            result.at("/counts/embeddingRetries").asInt(),
                            changed, status, differing, wall, ingest.peakRssMb());
                }
            }
        } finally {
            Repository.deleteTree(site);
        }
        System.out.println();
        System.out.println(failures == 0 ? "soak: every run equals a clean ingest (0 rows differing)"
                : "soak: " + failures + " run(s) differ from a clean ingest");
        System.exit(failures == 0 ? 0 : 1);
    }

    /** A fault-free ingest of the site as it is now, into a new database, compared with {@code actual}. */
    private static int differingFromCleanIngest(Path repo, CourseSiteServer server, FakeOpenAiServer openAi,
            CourseSnapshot actual) throws Exception {
        try (TestDatabase reference = TestDatabase.create();
                IngestProcess clean = IngestProcess.start(repo, "soak-reference", reference.url(), server.baseUrl(),
                        openAi.baseUrl(), Map.of("COURSEBOT_INGEST_PAGE_GROUP_SIZE", "32"))) {
            JsonNode run = clean.ingest(Duration.ofMinutes(20));
            if (!"succeeded".equals(run.get("status").asText())) {
                throw new IllegalStateException("the clean reference ingest did not succeed: " + run);
            }
            CourseSnapshot expected = CourseSnapshot.read(reference.url(), true);
            int differing = actual.rowsDifferingFrom(expected);
            if (differing != 0) {
                System.out.println("  differs: " + actual.describeDifference(expected));
            }
            return differing;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
