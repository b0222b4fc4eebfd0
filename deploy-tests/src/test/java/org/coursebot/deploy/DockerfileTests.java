package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import com.sun.net.httpserver.HttpServer;

/**
 * The services' Dockerfiles checked by reading them (no Docker engine here): non-root, port, health check,
 * a build that needs only the repository, and the 512 MB JVM flags, which the JVM on this machine must accept.
 */
class DockerfileTests {

    @ParameterizedTest
    @CsvSource({"chat-service,jvm", "chat-service,aot", "chat-service,native", "ingest-service,jvm", "ingest-service,native"})
    void runsAsAnUnprivilegedUser(String service, String mode) {
        String user = dockerfile(service, mode).last("USER");
        assertThat(user.split(":")[0]).isNotIn("root", "0").matches("[a-z0-9_-]+");
    }

    @ParameterizedTest
    @CsvSource({"chat-service,jvm,8080", "chat-service,aot,8080", "chat-service,native,8080", "ingest-service,jvm,8081",
            "ingest-service,native,8081"})
    void exposesTheServicePortAndDefaultsPortToIt(String service, String mode, String port) {
        Dockerfile file = dockerfile(service, mode);
        assertThat(file.last("EXPOSE")).isEqualTo(port);
        assertThat(file.last("ENV")).contains("PORT=" + port).contains("QUARKUS_HTTP_HOST=0.0.0.0");
    }

    @ParameterizedTest
    @CsvSource({"chat-service,jvm", "chat-service,aot", "chat-service,native", "ingest-service,jvm", "ingest-service,native"})
    void buildsTheServiceInsideTheImageFromTheRepositoryAlone(String service, String mode) {
        Dockerfile file = dockerfile(service, mode);
        assertThat(file.all("FROM")).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
        Pattern modules = Pattern.compile("-pl ([a-z-]+,)*" + service + "(,[a-z-]+)* -am");
        assertThat(file.all("RUN")).anyMatch(r -> r.args().contains("mvn ") && modules.matcher(r.args()).find()
                && r.args().contains(" package") && (mode.equals("jvm") || r.args().contains("-Pnative")
                        || r.args().contains("-Dquarkus.package.jar.type=aot-jar")));
        DockerIgnore ignore = DockerIgnore.read();
        for (Dockerfile.Instruction copy : file.all("COPY")) {
            if (copy.args().startsWith("--from=")) {
                continue;
            }
            List<String> words = Arrays.stream(copy.args().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
            for (String source : words.subList(0, words.size() - 1)) {
                assertThat(Repo.file(source)).as("COPY source %s", source).exists();
                assertThat(source.equals(".") || !ignore.ignores(source)).as("%s is in the build context", source).isTrue();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"chat-service,jvm", "chat-service,aot", "chat-service,native", "ingest-service,jvm", "ingest-service,native"})
    void healthCheckPassesOnlyWhileReadinessAnswers200(String service, String mode) throws Exception {
        List<String> command = healthCheck(dockerfile(service, mode));
        assertThat(String.join(" ", command)).contains("/q/health/ready");
        assertThat(probe(command, 200)).isZero();
        assertThat(probe(command, 503)).isNotZero();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(Repo.run(Map.of("PORT", String.valueOf(closed)), command).exitCode()).isNotZero();
    }

    @ParameterizedTest
    @CsvSource({"chat-service,20", "ingest-service,128"})
    void jvmImageStartsWithTheContainerFlagsWhichThisJvmAccepts(String service, int heapMb) {
        Dockerfile file = dockerfile(service, "jvm");
        assertThat(file.all("COPY")).anyMatch(c -> c.args().equals(service + "/src/main/docker/jvm.options jvm.options"));
        assertThat(file.last("ENTRYPOINT")).contains("exec java @/deployments/jvm.options ")
                .endsWith("$JAVA_OPTS -jar /deployments/quarkus-run.jar\"]");

        assertThat(file.all("ENV")).anyMatch(env -> env.args().startsWith("MALLOC_ARENA_MAX=1 "));
        assertThat(Repo.read("deploy/bench/lib.sh")).as("benchmarks start services as the image does")
                .contains("MALLOC_ARENA_MAX=1 PORT=");

        String options = Repo.read(service + "/src/main/docker/jvm.options");
        assertThat(options).contains("-Xmx" + heapMb + "m", "-Xms", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=",
                "-XX:ReservedCodeCacheSize=", "-Xss512k", "-XX:+ExitOnOutOfMemoryError");
        Map<String, String> flags = finalFlags(service);
        assertThat(Long.parseLong(flags.get("MaxHeapSize"))).isEqualTo(heapMb * 1024L * 1024L);
        assertThat(Long.parseLong(flags.get("InitialHeapSize"))).isLessThanOrEqualTo(heapMb * 1024L * 1024L / 2);
        assertThat(flags).containsEntry("UseSerialGC", "true").containsEntry("ExitOnOutOfMemoryError", "true")
                .containsEntry("ThreadStackSize", "512");
        long metaspace = Long.parseLong(flags.get("MaxMetaspaceSize"));
        long codeCache = Long.parseLong(flags.get("ReservedCodeCacheSize"));
        // Heap, metaspace and code cache at their caps leave a quarter of the 512 MB container (128 MB) for
        // thread stacks, direct buffers and the JVM itself, so the caps, not the container, stop a leak.
        assertThat(heapMb * 1024L * 1024L + metaspace + codeCache).isLessThanOrEqualTo(384L * 1024 * 1024);
    }

    /**
     * chat-service's images add the local model's heap only when there is no OpenAI key (the offline default loads
     * an ONNX model that does not fit the 20m heap sized for OpenAI), and never put the key on the command line.
     */
    @ParameterizedTest
    @CsvSource({"jvm", "aot"})
    void chatImageGivesTheLocalModelItsHeapOnlyWithoutAnOpenAiKey(String mode, @TempDir Path stub) throws IOException {
        Path java = stub.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        String entry = dockerfile("chat-service", mode).last("ENTRYPOINT");
        Matcher command = Pattern.compile("^\\[\"/bin/sh\", \"-c\", \"(.*)\"]$").matcher(entry);
        assertThat(command.find()).as(entry).isTrue();
        List<String> sh = List.of("/bin/sh", "-c", command.group(1));
        String path = stub + ":/usr/bin:/bin";

        Repo.Run offline = Repo.run(Map.of("PATH", path, "JAVA_OPTS", ""), sh);
        Repo.Run openAi = Repo.run(Map.of("PATH", path, "JAVA_OPTS", "", "OPENAI_API_KEY", "sk-planted-7731"), sh);

        assertThat(offline.exitCode()).as("%s", offline).isZero();
        assertThat(offline.stdout()).startsWith("@/deployments/jvm.options @/deployments/jvm-local-model.options ");
        assertThat(openAi.stdout()).doesNotContain("jvm-local-model").doesNotContain("sk-planted-7731")
                .startsWith("@/deployments/jvm.options ");
        assertThat(Repo.read("chat-service/src/main/docker/jvm-local-model.options")).containsPattern("(?m)^-Xmx\\d+m$");
        assertThat(dockerfile("chat-service", mode).all("COPY")).anyMatch(c -> c.args().startsWith(
                "chat-service/src/main/docker/jvm-local-model.options "));
    }

    /**
     * The AOT image runs the JVM image's command with the cache added, and trains the cache with exactly the flags
     * it runs with (a different GC or header layout and the JVM ignores the cache) on the /deployments it ships.
     */
    @Test
    void aotImageRunsTheJvmImagesCommandWithTheCacheItsTrainingRunMade() {
        Dockerfile jvm = dockerfile("chat-service", "jvm");
        Dockerfile aot = dockerfile("chat-service", "aot");
        String cache = "/deployments/app.aot";
        assertThat(aot.last("ENTRYPOINT")).isEqualTo(jvm.last("ENTRYPOINT").replace("$JAVA_OPTS",
                "-XX:AOTCache=" + cache + " $JAVA_OPTS"));
        assertThat(aot.last("ENV")).isEqualTo(jvm.last("ENV"));
        assertThat(aot.all("RUN")).anyMatch(r -> r.args().equals("/train/deploy/docker/train-in-image.sh chat-service "
                + "/deployments /deployments/jvm.options " + cache));
        assertThat(aot.finalStage()).anyMatch(i -> i.keyword().equals("COPY")
                && i.args().equals("--from=train /deployments/ /deployments/"));
        assertThat(aot.all("ARG")).anyMatch(a -> a.args().matches("RUNTIME_IMAGE=eclipse-temurin:25-jre"))
                .anyMatch(a -> a.args().matches("MAVEN_IMAGE=maven:[0-9.]+-eclipse-temurin-25"));
        assertThat(Repo.file("deploy/docker/train-in-image.sh")).exists();
        assertThat(Repo.file("deploy/docker/aot-train.sh")).exists();
    }

    @ParameterizedTest
    @CsvSource({"chat-service", "ingest-service"})
    void nativeImageRunsWithTheSameHeapCapAsTheJvmImage(String service) {
        Matcher xmx = Pattern.compile("-Xmx(\\d+m)").matcher(Repo.read(service + "/src/main/docker/jvm.options"));
        assertThat(xmx.find()).isTrue();
        assertThat(dockerfile(service, "native").last("ENTRYPOINT")).contains("/work/application -Xmx" + xmx.group(1));
    }

    @Test
    void buildContextLeavesOutBuildOutputAndLocalStateButKeepsEverySource() {
        DockerIgnore ignore = DockerIgnore.read();
        assertThat(List.of("target", "chat-service/target/quarkus-app/quarkus-run.jar", ".git/HEAD",
                ".local/pgdata/PG_VERSION", ".env", "deploy/local/run.sh")).allMatch(ignore::ignores);
        // The sample course and the training scripts are what Dockerfile.aot's training run works on.
        List<String> kept = new ArrayList<>(List.of("pom.xml", "chat-service/src/main/docker/jvm.options",
                "deploy/demo-course/index.html", "deploy/demo-course/questions.jsonl", "deploy/docker/aot-train.sh",
                "ingest-service/src/main/resources/db/migration/V1__schema.sql"));
        for (Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Repo.read("pom.xml")); m.find(); ) {
            kept.add(m.group(1) + "/pom.xml");
            kept.add(m.group(1) + "/src/main/java/Example.java");
        }
        assertThat(kept).noneMatch(ignore::ignores);
    }

    private static Dockerfile dockerfile(String service, String mode) {
        return Dockerfile.parse(Repo.read(service + "/src/main/docker/Dockerfile." + mode));
    }

    /** The exec-form command of HEALTHCHECK ... CMD [...]. */
    @SuppressWarnings("unchecked")
    private static List<String> healthCheck(Dockerfile file) {
        String args = file.last("HEALTHCHECK");
        String json = args.substring(args.indexOf("CMD ") + 4).strip();
        assertThat(json).startsWith("[");
        return (List<String>) new Yaml().load(json);
    }

    /** Runs the health check command against a server on this machine answering readiness with status. */
    private static int probe(List<String> command, int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean ready = exchange.getRequestURI().getPath().equals("/q/health/ready");
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ready ? status : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = new HashMap<>();
            env.put("PORT", String.valueOf(server.getAddress().getPort()));
            return Repo.run(env, command).exitCode();
        } finally {
            server.stop(0);
        }
    }

    private static Map<String, String> finalFlags(String service) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Repo.Run run = Repo.run(List.of(java, "@" + Repo.file(service + "/src/main/docker/jvm.options"),
                "-XX:+PrintFlagsFinal", "-version"));
        assertThat(run.exitCode()).as("%s", run).isZero();
        Map<String, String> flags = new HashMap<>();
        for (String line : run.stdout().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[2].equals("=")) {
                flags.put(f[1], f[3]);
            }
        }
        return flags;
    }
}
