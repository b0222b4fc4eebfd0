package org.coursebot.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A packaged service started as a process, as its image or deploy/local/run.sh starts it; and free ports. */
public final class ServiceProcess {

    private ServiceProcess() {
    }

    /** The flags the service's image runs it with: its jvm.options file. */
    public static List<String> imageFlags(Path repo, String service) {
        return List.of("@" + repo.resolve(service + "/src/main/docker/jvm.options"));
    }

    /**
     * Starts {@code java FLAGS -jar <service>/target/quarkus-app/quarkus-run.jar}, its output in {@code log}, with
     * {@code env}. Settings inherited from the caller that would point the service elsewhere (any *DATABASE_URL,
     * OPENAI_*, COURSEBOT_*, QUARKUS_*) are dropped first: a test's service sees only what the test gives it.
     */
    public static Process start(Path repo, String service, List<String> flags, Map<String, String> env, Path log)
            throws IOException {
        Path jar = repo.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn package (the reactor builds it before this module)");
        }
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(log.toAbsolutePath().getParent()).resolve(log.getFileName()).toFile());
        builder.environment().keySet().removeIf(k -> k.contains("DATABASE_URL") || k.startsWith("OPENAI_")
                || k.startsWith("COURSEBOT_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** SIGTERM, then SIGKILL if the process has not ended within 20 s. */
    public static void stop(Process process) {
        process.destroy();
        awaitStopped(process);
    }

    /** Waits up to 20 s for a process told to stop, then kills it. */
    public static void awaitStopped(Process process) {
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a service's log, for an assertion message. */
    public static String logTail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** VmHWM of /proc, in kB: the highest resident set size so far; fails when the process is gone. */
    public static long peakRssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no VmHWM in /proc/" + process.pid() + "/status");
    }

    /** A port nothing listens on just now, on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
