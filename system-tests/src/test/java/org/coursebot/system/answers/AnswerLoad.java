package org.coursebot.system.answers;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Students asking without pause: threads that each send, one after the other, {@code GET /api/search} or
 * {@code POST /api/chat} (JSON), and record every exchange with when it was sent and when it ended.
 */
final class AnswerLoad implements AutoCloseable {

    /** One exchange; times are {@link System#nanoTime()}. */
    record Sample(String kind, String question, long sent, long ended, AnswerClient.Reply reply) {
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** Starts {@code searchers} threads on /api/search and {@code askers} on /api/chat, each pausing {@code pause}. */
    static AnswerLoad start(AnswerClient client, int searchers, int askers, Duration pause, Duration timeout) {
        AnswerLoad load = new AnswerLoad();
        for (int t = 0; t < searchers + askers; t++) {
            boolean search = t < searchers;
            int offset = t;
            Thread thread = new Thread(() -> {
                for (int n = offset; load.running; n++) {
                    String question = SampleCourse.QUESTIONS.get(n % SampleCourse.QUESTIONS.size());
                    long sent = System.nanoTime();
                    AnswerClient.Reply reply = search
                            ? client.get("/api/search?threshold=0&q=" + URLEncoder.encode(question, StandardCharsets.UTF_8), timeout)
                            : client.postJson("/api/chat", SampleCourse.ask(question), timeout);
                    load.samples.add(new Sample(search ? "search" : "chat", question, sent, System.nanoTime(), reply));
                    try {
                        Thread.sleep(pause.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "answer-load-" + t);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    /** The exchanges so far, in the order they ended. */
    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Stops sending and waits for the exchanges in flight to end (each is bounded by its timeout). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }
}
