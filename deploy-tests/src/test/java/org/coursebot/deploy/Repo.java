package org.coursebot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The checkout the tests run in, its files, and its scripts run as an operator would run them. */
final class Repo {

    /** Variables that must never leak from the developer's shell into a script under test. */
    private static final List<String> SCRUBBED = List.of("DATABASE_URL", "CHAT_DATABASE_URL", "ADMIN_TOKEN",
            "OPENAI_API_KEY", "EMBEDDING_DIMENSION", "PG_BIN", "PGPASSWORD", "PGOPTIONS");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private Repo() {
    }

    /** The repository root: the folder above this module holding deploy/render.yaml. */
    static Path root() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/render.yaml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/render.yaml above " + System.getProperty("user.dir"));
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + relative + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command from the repository root with no terminal on stdin and a scrubbed environment. */
    static Run run(Map<String, String> env, List<String> command) {
        return run(env, command, null);
    }

    /** The same, with {@code input} on stdin (null: /dev/null). */
    static Run run(Map<String, String> env, List<String> command, String input) {
        try {
            Path out = Files.createTempFile("deploy-test", ".out");
            Path err = Files.createTempFile("deploy-test", ".err");
            Path in = input == null ? Path.of("/dev/null") : Files.writeString(Files.createTempFile("deploy-test", ".in"), input);
            ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(in.toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> environment = pb.environment();
            SCRUBBED.forEach(environment::remove);
            environment.putAll(env);
            Process process = pb.start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + TIMEOUT);
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            if (input != null) {
                Files.delete(in);
            }
            return run;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage()
                    + " (deploy/local/tools.sh installs what the tests need)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Run run(List<String> command) {
        return run(new HashMap<>(), command);
    }

    /** What a finished command left behind. */
    record Run(int exitCode, String stdout, String stderr) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
