package org.coursebot.system.answers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.coursebot.system.ServiceProcess;

/**
 * The packaged chat-service as a process, as its image runs it ({@code java @chat-service/src/main/docker/jvm.options
 * -jar quarkus-run.jar}, one malloc arena), with OpenAI — embeddings and the chat model — at a fake server's URL,
 * LLM answers, and neither the rate limit nor the per-client cap on requests in flight (the test is one client). Reads its Prometheus metrics, its peak RSS and its live objects by class, and asks it for a full GC.
 */
final class ChatProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    final AnswerClient client;

    private ChatProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.client = new AnswerClient(port);
    }

    /** Starts chat-service over {@code chatDatabaseUrl} (the read-only role); {@code extraEnv} overrides anything. */
    static ChatProcess start(Path repo, String name, String chatDatabaseUrl, String openAiUrl,
            Map<String, String> extraEnv) throws IOException, InterruptedException {
        int port = ServiceProcess.freePort();
        Path log = repo.resolve("system-tests/target/system-logs").resolve(name + ".log");
        Map<String, String> settings = new HashMap<>(Map.of(
                "CHAT_DATABASE_URL", chatDatabaseUrl, "PORT", String.valueOf(port), "MALLOC_ARENA_MAX", "1",
                "OPENAI_API_KEY", "sk-answer-test", "OPENAI_BASE_URL", openAiUrl, "COURSEBOT_EMBEDDING_BASE_URL", openAiUrl,
                "COURSEBOT_ANSWER_MODE", "llm", "COURSEBOT_RATE_LIMIT_ENABLED", "false",
                // Every test client is 127.0.0.1: many students here, not one greedy client.
                "COURSEBOT_HTTP_MAX_REQUESTS_PER_CLIENT", "100000"));
        settings.putAll(extraEnv);
        ChatProcess chat = new ChatProcess(
                ServiceProcess.start(repo, "chat-service", ServiceProcess.imageFlags(repo, "chat-service"), settings, log), port, log);
        try {
            chat.awaitReady(Duration.ofSeconds(120));
        } catch (RuntimeException | Error e) {
            chat.close();
            throw e;
        }
        return chat;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** VmHWM of /proc: the highest resident set size so far, in MB. */
    double peakRssMb() {
        try {
            return ServiceProcess.peakRssKb(process) / 1024.0;
        } catch (IOException e) {
            throw new AssertionError("chat-service is gone; log " + log, e);
        }
    }

    /**
     * The process's TCP sockets (from /proc: its descriptors, and the kernel's table) that are not listening: those
     * from its clients ({@code peerPort} 0: the local port is the service's), or those to a server on {@code peerPort}.
     * A socket the peer has closed but the service has not (CLOSE_WAIT) still counts: that is how a leak looks.
     */
    int sockets(int peerPort) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + process.pid() + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while listed
                }
            }
        }
        int count = 0;
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/net/" + table))) {
                String[] f = line.strip().split("\\s+");
                if (f[0].equals("sl") || f[3].equals("0A") || !inodes.contains(f[9])) {
                    continue; // the header, a listening socket, another process's socket
                }
                int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                if (peerPort == 0 ? local == port : remote == peerPort) {
                    count++;
                }
            }
        }
        return count;
    }

    /** A full GC now ({@code jcmd PID GC.run}), so that heap figures count live objects only. */
    void gc() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new AssertionError("jcmd " + process.pid() + " GC.run failed");
        }
    }

    /**
     * The live objects by class: {@code jcmd PID GC.class_histogram}, which runs a full GC first. Its output is kept
     * beside the log ({@code <log>.<label>.histogram.txt}) for a look at what grew.
     */
    Map<String, Long> liveObjects(String label) throws IOException, InterruptedException {
        Path out = log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + "." + label
                + ".histogram.txt");
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new AssertionError("jcmd " + process.pid() + " GC.class_histogram failed; see " + out);
        }
        // "   12:          1000          24000  org.example.Thing (a module)": rank, instances, bytes, class
        Map<String, Long> instances = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[0].matches("\\d+:")) {
                instances.merge(f[3], Long.parseLong(f[1]), Long::sum);
            }
        }
        if (instances.isEmpty()) {
            throw new AssertionError("no class histogram from jcmd " + process.pid() + "; see " + out);
        }
        return instances;
    }

    /** {@code /q/metrics}: one scrape (its own connection counts among the open ones). */
    Metrics metrics() {
        AnswerClient.Reply reply = client.get("/q/metrics", Duration.ofSeconds(10));
        if (reply.status() != 200) {
            throw new AssertionError("GET /q/metrics -> " + reply.describe());
        }
        return new Metrics(reply.body());
    }

    /** Polls readiness until it answers 200; fails when the process exits or the time is up. */
    void awaitReady(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("chat-service exited (" + process.exitValue() + "); log " + log + "\n" + logTail(30));
            }
            if (client.get("/q/health/ready", Duration.ofSeconds(5)).status() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("chat-service not ready after " + limit + "; log " + log + "\n" + logTail(30));
    }

    Path log() {
        return log;
    }

    /** Lines in the log so far. */
    long logLines() throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.count();
        }
    }

    /** The ERROR lines logged after the first {@code skip} lines. */
    List<String> logErrorsSince(long skip) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.skip(skip).filter(l -> l.contains(" ERROR ")).toList();
        }
    }

    String logTail(int lines) {
        return ServiceProcess.logTail(log, lines);
    }

    @Override
    public void close() {
        ServiceProcess.stop(process);
    }

    /** A Prometheus text scrape. */
    record Metrics(String text) {

        /** The sum of the samples of {@code name} whose labels contain every one of {@code labels} (e.g. area="heap"). */
        double sum(String name, String... labels) {
            double sum = 0;
            boolean found = false;
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                String series = line.substring(0, space);
                if (List.of(labels).stream().allMatch(series::contains)) {
                    sum += Double.parseDouble(line.substring(space + 1));
                    found = true;
                }
            }
            if (!found) {
                throw new AssertionError("no metric " + name + " " + List.of(labels) + " in /q/metrics");
            }
            return sum;
        }
    }
}
