package org.coursebot.embedding.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.vertx.mutiny.core.Vertx;
import org.coursebot.embedding.EmbeddingBatch;
import org.coursebot.embedding.EmbeddingConfig;
import org.coursebot.embedding.EmbeddingEngine;
import org.coursebot.embedding.EmbeddingListener;
import org.coursebot.embedding.LocalEmbeddingModel;
import org.coursebot.embedding.TokenCounter;
import org.coursebot.testing.FakeOpenAiServer;

/** deploy/bench/embed-bench.sh runs this: {@code batching} (fake OpenAI server) or {@code local} (the ONNX model). */
public final class EmbedBench {

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "batching";
        if (mode.equals("batching")) {
            batching(args.length > 1 ? Integer.parseInt(args[1]) : 5000, args.length > 2 ? Integer.parseInt(args[2]) : 300);
        } else {
            local(args.length > 1 ? Path.of(args[1]) : null, args.length > 2 ? Integer.parseInt(args[2]) : 100);
        }
        System.exit(0);
    }

    static void batching(int chunks, int tokensPerChunk) {
        List<String> texts = chunks(chunks, tokensPerChunk);
        TokenCounter counter = TokenCounter.cl100k();
        long tokens = texts.stream().mapToLong(counter::count).sum();
        System.out.printf(Locale.ROOT, "chunks: %d, tokens: %d (mean %.0f per chunk)%n", chunks, tokens, (double) tokens / chunks);
        Vertx vertx = Vertx.vertx();
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            // The limiter is lifted here: tier 1's 1M tokens/minute would make this run wait, not send more requests.
            run("old fixed batch of 20", fake, vertx, texts, "coursebot.embedding.batch.max-inputs", "20",
                    "coursebot.embedding.batch.max-tokens", "100000000");
            run("token-bounded (2048 inputs, 250000 tokens)", fake, vertx, texts);
            boolean onnx = Files.readString(Path.of("/proc/self/maps")).contains("onnxruntime");
            System.out.printf(Locale.ROOT, "this openai-configured JVM: local model loads %d, onnxruntime mapped: %s%n",
                    LocalEmbeddingModel.loads(), onnx);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static void run(String label, FakeOpenAiServer fake, Vertx vertx, List<String> texts, String... overrides) {
        fake.reset();
        List<String> keys = new ArrayList<>(List.of("coursebot.embedding.api-key", "sk-bench",
                "coursebot.embedding.base-url", fake.baseUrl(), "coursebot.embedding.rate.requests-per-minute", "1000000",
                "coursebot.embedding.rate.tokens-per-minute", "1000000000"));
        keys.addAll(List.of(overrides));
        try (EmbeddingEngine engine = new EmbeddingEngine(BenchConfig.of(keys), vertx, Runnable::run)) {
            long start = System.nanoTime();
            int vectors = 0;
            for (EmbeddingBatch batch : engine.batches(texts)) {
                vectors += engine.embed(batch, engine.batchPolicy(), EmbeddingListener.NONE)
                        .await().atMost(Duration.ofMinutes(2)).size();
            }
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            var received = fake.received("/embeddings");
            int maxInputs = received.stream().mapToInt(r -> r.inputs().size()).max().orElse(0);
            int maxTokens = received.stream().mapToInt(FakeOpenAiServer.Received::totalTokens).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-45s requests: %4d  max inputs/request: %4d  max tokens/request: %6d  vectors: %d  time: %d ms%n",
                    label, received.size(), maxInputs, maxTokens, vectors, ms);
        }
    }

    /** Course-like chunks of about {@code tokens} tokens from a fixed vocabulary (seeded: every run the same). */
    static List<String> chunks(int n, int tokens) {
        String[] words = ("the a function variable state component render props hook array object loop closure "
                + "promise async await module import export test database query index vector server client request "
                + "response error handler event browser node npm package install build deploy commit branch merge "
                + "student exercise part section chapter example code value type string number boolean null").split(" ");
        Random random = new Random(42);
        TokenCounter counter = TokenCounter.cl100k();
        List<String> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("Part ").append(i % 14).append(", chunk ").append(i).append('.');
            while (counter.count(sb.toString()) < tokens) {
                for (int w = 0; w < 12; w++) {
                    sb.append(' ').append(words[random.nextInt(words.length)]);
                }
                sb.append('.');
            }
            chunks.add(sb.toString());
        }
        return chunks;
    }

    static void local(Path corpus, int count) throws IOException {
        List<String> paragraphs = paragraphs(corpus, count);
        long rssBefore = rssKb();
        LocalEmbeddingModel model = new LocalEmbeddingModel(1, 4);
        long loadStart = System.nanoTime();
        model.embed(List.of("warm up")).await().atMost(Duration.ofMinutes(2));
        long loadMs = Duration.ofNanos(System.nanoTime() - loadStart).toMillis();
        System.gc();
        long rssLoaded = rssKb();
        Runtime rt = Runtime.getRuntime();
        long heapCommittedMb = rt.totalMemory() >> 20;
        long heapUsedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        double best = 0;
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            int n = model.embed(paragraphs).await().atMost(Duration.ofMinutes(5)).size();
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, n / seconds);
            System.out.printf(Locale.ROOT, "round %d: %d paragraphs in %.2f s = %.1f embeddings/s%n", round, n, seconds, n / seconds);
        }
        long rssAfter = rssKb();
        int words = paragraphs.stream().mapToInt(p -> p.split("\\s+").length).sum();
        System.out.printf(Locale.ROOT, "paragraphs: %d (mean %d words), 1 worker thread, %d cores%n", paragraphs.size(),
                words / paragraphs.size(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "best: %.1f embeddings/s; first call (load + 1 text): %d ms%n", best, loadMs);
        System.out.printf(Locale.ROOT, "RSS before load: %d MB, after load: %d MB (+%d MB; Java heap then %d MB committed, %d MB live after GC), after 3 rounds: %d MB (+%d MB)%n",
                rssBefore / 1024, rssLoaded / 1024, (rssLoaded - rssBefore) / 1024, heapCommittedMb, heapUsedMb,
                rssAfter / 1024, (rssAfter - rssBefore) / 1024);
        model.close();
    }

    /** Real paragraphs (40+ words) from the readability corpus's expected pages, else generated ones. */
    static List<String> paragraphs(Path corpus, int count) throws IOException {
        List<String> found = new ArrayList<>();
        Pattern p = Pattern.compile("<p[^>]*>(.*?)</p>", Pattern.DOTALL);
        if (corpus != null && Files.isDirectory(corpus)) {
            try (Stream<Path> files = Files.walk(corpus)) {
                for (Path file : files.filter(f -> f.getFileName().toString().equals("expected.html")).sorted().toList()) {
                    Matcher m = p.matcher(Files.readString(file));
                    while (m.find() && found.size() < count) {
                        String text = m.group(1).replaceAll("<[^>]+>", " ").replaceAll("&[a-z#0-9]+;", " ")
                                .replaceAll("\\s+", " ").trim();
                        if (text.split(" ").length >= 40) {
                            found.add(text);
                        }
                    }
                    if (found.size() >= count) {
                        break;
                    }
                }
            }
        }
        if (found.size() < count) {
            found.addAll(chunks(count - found.size(), 120));
        }
        return found;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The same EmbeddingConfig construction the tests use. */
    static final class BenchConfig {
        static EmbeddingConfig of(List<String> keyValues) {
            java.util.Map<String, String> values = new java.util.HashMap<>();
            for (int i = 0; i < keyValues.size(); i += 2) {
                values.put(keyValues.get(i), keyValues.get(i + 1));
            }
            return new io.smallrye.config.SmallRyeConfigBuilder()
                    .withMapping(EmbeddingConfig.class)
                    .withSources(new io.smallrye.config.PropertiesConfigSource(values, "bench", 100))
                    .withConverter(Duration.class, 200, org.coursebot.embedding.TestConfigsAccess::duration)
                    .build()
                    .getConfigMapping(EmbeddingConfig.class);
        }
    }
}
